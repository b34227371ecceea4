import type { InstanceSummary, Light } from '../../api/types';
import { formatDateTime } from '../../shared/format';
import { LightIndicator } from '../inbox/LightIndicator';

/** The item's own deadline and light (sent with the item; not yet in api/types). */
export function itemDeadline(instance: InstanceSummary): { dueAt: string | null; light: Light | null } {
  const extra = instance as InstanceSummary & { dueAt?: string | null; light?: Light | null };
  return { dueAt: extra.dueAt ?? null, light: extra.light ?? null };
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
        {light && <LightIndicator light={light} />}
      </dd>
    </div>
  );
}
