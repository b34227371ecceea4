import { Form, InputNumber, Space, Typography } from 'antd';
import type { JsonObject } from '../../../shared/flow';
import { objectAt, withField, withPart } from './options';

/** 红黄绿灯: when an item turns yellow — N working days or P % of its time left (options.lights). Red once overdue. */
export function LightsEditor({
  options,
  onChange,
  disabled,
}: {
  options: JsonObject | null | undefined;
  onChange: (next: JsonObject | null) => void;
  disabled?: boolean;
}) {
  const lights = objectAt(options, 'lights');
  const days = typeof lights?.yellowWorkingDays === 'number' ? lights.yellowWorkingDays : null;
  const percent = typeof lights?.yellowPercent === 'number' ? lights.yellowPercent : null;
  const set = (field: string, v: number | null) =>
    onChange(withPart(options, 'lights', withField(lights, field, v === null ? undefined : v)));
  return (
    <div data-testid="lights-editor">
      <Typography.Paragraph type="secondary">
        超过时限亮红灯；剩余时间不多时亮黄灯（两个条件满足其一即为黄灯）；其余为绿灯。不填按默认：剩 1 个工作日或 20%。
      </Typography.Paragraph>
      <Space wrap>
        <Form.Item label="剩余工作日不超过" htmlFor="lights-days">
          <InputNumber
            id="lights-days"
            aria-label="黄灯剩余工作日"
            min={0}
            max={60}
            precision={0}
            placeholder="1"
            addonAfter="个工作日"
            value={days}
            disabled={disabled}
            onChange={(v) => set('yellowWorkingDays', v)}
          />
        </Form.Item>
        <Form.Item label="或剩余时间不超过" htmlFor="lights-percent">
          <InputNumber
            id="lights-percent"
            aria-label="黄灯剩余百分比"
            min={0}
            max={100}
            precision={0}
            placeholder="20"
            addonAfter="%"
            value={percent}
            disabled={disabled}
            onChange={(v) => set('yellowPercent', v)}
          />
        </Form.Item>
      </Space>
    </div>
  );
}
