// The service account controller and the root CA publisher: what every namespace is given.
export {
  isActive,
  namespaceGoneOrTerminating,
  serviceAccountsController,
  type ServiceAccountsOptions,
} from './serviceaccounts.ts';
export {
  description,
  descriptionAnnotation,
  desiredConfigMap,
  rootCACertConfigMapName,
  rootCACertPublisher,
  type RootCAPublisherOptions,
} from './root-ca-publisher.ts';
