// k8s.io/apimachinery/pkg/apis/meta/v1: the messages every object embeds.
import { list, map, opt, ptr, req, type MessageTable } from './types.ts';

export const metaMessages: MessageTable = {
  'meta.ObjectMeta': {
    1: opt('name'),
    2: opt('generateName'),
    3: opt('namespace'),
    4: opt('selfLink'),
    5: opt('uid'),
    6: opt('resourceVersion'),
    7: opt('generation', 'int64'),
    // A value struct: Go writes `"creationTimestamp": null` for the zero time.
    8: opt('creationTimestamp', 'Time'),
    9: ptr('deletionTimestamp', 'Time'),
    10: ptr('deletionGracePeriodSeconds', 'int64'),
    11: map('labels'),
    12: map('annotations'),
    13: list('ownerReferences', 'meta.OwnerReference'),
    14: list('finalizers'),
    17: list('managedFields', 'meta.ManagedFieldsEntry'),
  },
  'meta.OwnerReference': {
    5: req('apiVersion'),
    1: req('kind'),
    3: req('name'),
    4: req('uid'),
    6: ptr('controller', 'bool'),
    7: ptr('blockOwnerDeletion', 'bool'),
  },
  'meta.ManagedFieldsEntry': {
    1: opt('manager'),
    2: opt('operation'),
    3: opt('apiVersion'),
    4: ptr('time', 'Time'),
    6: opt('fieldsType'),
    7: ptr('fieldsV1', 'FieldsV1'),
    8: opt('subresource'),
  },
  'meta.LabelSelector': {
    1: map('matchLabels'),
    2: list('matchExpressions', 'meta.LabelSelectorRequirement'),
  },
  'meta.LabelSelectorRequirement': {
    1: req('key'),
    2: req('operator'),
    3: list('values'),
  },
  'meta.FieldSelectorRequirement': {
    1: req('key'),
    2: req('operator'),
    3: list('values'),
  },
  'meta.Condition': {
    1: req('type'),
    2: req('status'),
    3: opt('observedGeneration', 'int64'),
    4: req('lastTransitionTime', 'Time'),
    5: req('reason'),
    6: req('message'),
  },
  'meta.DeleteOptions': {
    1: ptr('gracePeriodSeconds', 'int64'),
    2: ptr('preconditions', 'meta.Preconditions'),
    3: ptr('orphanDependents', 'bool'),
    4: ptr('propagationPolicy'),
    5: list('dryRun'),
    6: ptr('ignoreStoreReadErrorWithClusterBreakingPotential', 'bool'),
  },
  'meta.Preconditions': {
    1: ptr('uid'),
    2: ptr('resourceVersion'),
  },
};
