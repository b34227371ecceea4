import type { InstanceSummary, Light } from '../../api/types';
import { formatDateTime } from '../format';
import { LightIndicator } from './LightIndicator';
import { ProvisionalMark } from './ProvisionalMark';

/** The item's own deadline and light (sent with the item). */
export function itemDeadline(instance: InstanceSummary): { dueAt: string | null; light: Light | null } {
  return { dueAt: instance.dueAt ?? null, light: instance.light ?? null };
}

/** 办理时限 in the item page's header: the date and its light (none once the item has ended); nothing without a deadline. */
export function ItemDeadline({ instance }: { instance: InstanceSummary }) {
  const { dueAt, light } = itemDeadline(instance);
  if (!dueAt) return null;
  return (
    <div data-testid="item-deadline">
      <dt>办理时限</dt>
      <dd className="item-deadline">
        <span data-testid="item-due">{formatDateTime(dueAt)}</span>
        <ProvisionalMark provisional={instance.provisional} />
        {light && <LightIndicator light={light} />}
      </dd>
    </div>
  );
}
