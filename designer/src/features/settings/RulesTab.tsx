import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Form,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import { mapServerErrors } from '../../shared/formErrors';
import { useQuery } from '../../shared/useQuery';
import { formatDateTime } from '../../shared/format';
import type { ScoringRules } from '../scores/scoresApi';
import { rulesFormValues, rulesFromForm, yearOptions, type RulesFormValues } from './settingsModel';
import { settingsApi } from './settingsApi';

/** 考核规则 per year: starting score, floor, deduction per event type, redo threshold; save, or back to the default. */
export function RulesTab({
  editable,
  year,
  onYear,
}: {
  editable: boolean;
  year: number;
  onYear: (year: number) => void;
}) {
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<RulesFormValues>();
  const loaded = useQuery(['scoring-rules', year], (signal) => settingsApi.rules(year, signal));
  // What a save or a reset answered, until the year changes.
  const [saved, setSaved] = useState<{ year: number; rules: ScoringRules } | null>(null);
  const rules = saved?.year === year ? saved.rules : loaded.loading ? null : (loaded.data ?? null);
  const error = loaded.error;
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState<'save' | 'reset' | null>(null);

  // The form shows the rules held (a form's values are not React state: setting them here renders nothing twice).
  useEffect(() => {
    if (!rules) return;
    form.resetFields();
    form.setFieldsValue(rulesFormValues(rules));
  }, [rules, form]);

  function show(r: ScoringRules) {
    setSaved({ year, rules: r });
    setGeneral([]);
  }

  async function save() {
    if (!rules) return;
    let values: RulesFormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy('save');
    setGeneral([]);
    try {
      show(await settingsApi.saveRules(year, rulesFromForm(values, rules.eventTypes)));
      message.success(`${year}年考核规则已保存`);
    } catch (e) {
      setGeneral(mapServerErrors(form, e));
    } finally {
      setBusy(null);
    }
  }

  async function reset() {
    setBusy('reset');
    try {
      show(await settingsApi.resetRules(year));
      message.success(`已恢复${year}年默认考核规则`);
    } catch (e) {
      setGeneral([errorMessage(e)]);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="rules-tab" data-testid="rules-tab">
      <div className="settings-toolbar">
        <Space wrap>
          <label htmlFor="rules-year">年度</label>
          <Select id="rules-year" value={year} options={yearOptions(year)} onChange={onYear} style={{ width: 110 }} />
          {rules && (rules.isDefault ? <Tag>默认：县级督查督办考核标准</Tag> : <Tag color="blue">本单位自定义</Tag>)}
        </Space>
        {editable && rules && (
          <Space wrap>
            <Popconfirm
              title={`恢复${year}年默认考核规则？`}
              description="得分按默认规则重新计算（由已登记的事件算出，不影响记录本身）。"
              okText="恢复默认"
              cancelText="取消"
              onConfirm={reset}
              disabled={rules.isDefault}
            >
              <Button disabled={rules.isDefault || busy !== null} loading={busy === 'reset'}>
                恢复默认
              </Button>
            </Popconfirm>
            <Button type="primary" onClick={save} loading={busy === 'save'} disabled={busy !== null}>
              保存
            </Button>
          </Space>
        )}
      </div>
      {!editable && <Alert className="page-alert" type="info" showIcon message="考核规则由管理员设置，您可以查看。" />}
      {error !== null && (
        <Alert className="page-alert" type="error" showIcon message={`考核规则加载失败：${errorMessage(error)}`} />
      )}
      {general.length > 0 && (
        <Alert className="page-alert" type="error" showIcon role="alert" message={general.join('；')} />
      )}
      {!rules && error === null && <Spin />}
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ flex: '220px' }}
        labelWrap
        disabled={!editable || busy !== null}
        hidden={!rules}
      >
        <Card size="small" title="基础分">
          <Form.Item
            name="startScore"
            label="基础分"
            rules={[{ required: true, message: '请填写基础分' }]}
            extra="每个承办单位年初的分数"
          >
            <InputNumber min={0} max={1000} step={0.5} precision={2} addonAfter="分" />
          </Form.Item>
          <Form.Item
            name="floor"
            label="最低分"
            dependencies={['startScore']}
            rules={[
              { required: true, message: '请填写最低分' },
              ({ getFieldValue }) => ({
                validator: (_, value: number | null) =>
                  value === null || value === undefined || value <= (getFieldValue('startScore') ?? 0)
                    ? Promise.resolve()
                    : Promise.reject(new Error('最低分不能大于基础分')),
              }),
            ]}
            extra="扣分到此为止，不再往下扣"
          >
            <InputNumber min={0} max={1000} step={0.5} precision={2} addonAfter="分" />
          </Form.Item>
        </Card>
        <Card size="small" title="扣分标准（每次）" className="settings-card">
          {(rules?.eventTypes ?? []).map((t) => (
            <Form.Item
              key={t.value}
              name={['deductions', t.value]}
              label={t.label}
              rules={[{ required: true, message: `请填写「${t.label}」的扣分` }]}
            >
              <InputNumber min={0} max={1000} step={0.1} precision={2} addonAfter="分" aria-label={`${t.label}扣分`} />
            </Form.Item>
          ))}
          <Form.Item
            name="redoThreshold"
            label="复办容许次数"
            rules={[{ required: true, message: '请填写复办容许次数' }]}
            extra="同一事项退回重办超过此次数后，每再复办一次按“复办超过规定次数”扣分"
          >
            <InputNumber min={0} max={100} precision={0} addonAfter="次" />
          </Form.Item>
        </Card>
      </Form>
      {rules?.updatedAt && (
        <Typography.Paragraph type="secondary" className="settings-updated">
          {formatDateTime(rules.updatedAt)} {rules.updatedByName} 修改
        </Typography.Paragraph>
      )}
    </div>
  );
}
