import { formatQuantity, parseQuantity } from '../../../../api/quantity.ts';
import { has, type MetricSpec, type MetricStatus } from './spec.ts';

/** Quantity.String(); a missing quantity prints as a nil *Quantity does. */
function quantityString(v: string | number | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  try {
    return formatQuantity(parseQuantity(String(v)));
  } catch {
    return String(v);
  }
}

/** printers.go formatHPAMetrics: `cpu: 40%/80%`, `<unknown>` before the controller reports. */
export function formatMetrics(metrics: MetricSpec[], statuses: MetricStatus[]): string {
  if (metrics.length === 0) return '<none>';
  const list = metrics.map((m, i) => {
    const st = statuses[i];
    switch (m.type) {
      case 'External':
      case 'Object': {
        const key = m.type === 'External' ? 'external' : 'object';
        const target = m[key]?.target ?? {};
        const current = st?.[key]?.current;
        if (has(target.averageValue)) {
          const now = has(current?.averageValue) ? quantityString(current!.averageValue) : '<unknown>';
          return `${now}/${quantityString(target.averageValue)} (avg)`;
        }
        const now = current !== undefined ? quantityString(current.value) : '<unknown>';
        return `${now}/${quantityString(target.value)}`;
      }
      case 'Pods': {
        const current = st?.pods?.current;
        const now = current !== undefined ? quantityString(current.averageValue) : '<unknown>';
        return `${now}/${quantityString(m.pods?.target?.averageValue)}`;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const source = m[key] ?? {};
        const target = source.target ?? {};
        const current = st?.[key]?.current;
        if (has(target.averageValue)) {
          const now = current !== undefined ? quantityString(current.averageValue) : '<unknown>';
          return `${source.name ?? ''}: ${now}/${quantityString(target.averageValue)}`;
        }
        const now =
          typeof current?.averageUtilization === 'number' ? `${current.averageUtilization}%` : '<unknown>';
        const goal =
          typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
        return `${source.name ?? ''}: ${now}/${goal}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}
