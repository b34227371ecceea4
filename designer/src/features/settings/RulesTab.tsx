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
import { ScoreEventsCard } from './ScoreEventsCard';

/**
 * 考核规则: which shipped table (if any) the organization is scored on in years without rules of their own — without
 * either, nobody is scored — and per year its own starting score, floor, deduction per event type, redo threshold.
 */
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
  const [busy, setBusy] = useState<'save' | 'reset' | 'table' | null>(null);

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

  async function chooseTable(table: string | null) {
    setBusy('table');
    try {
      show(await settingsApi.chooseTable(year, table));
      message.success(table ? '已采用系统考核标准' : '已取消系统考核标准：未单独设置规则的年度不计分');
    } catch (e) {
      setGeneral([errorMessage(e)]);
    } finally {
      setBusy(null);
    }
  }

  async function reset() {
    setBusy('reset');
    try {
      show(await settingsApi.resetRules(year));
      message.success(`已删除${year}年单独设置的考核规则`);
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
          {rules &&
            (!rules.scored ? (
              <Tag color="orange">本年度不计分</Tag>
            ) : rules.isDefault ? (
              <Tag>采用系统考核标准</Tag>
            ) : (
              <Tag color="blue">本单位自定义</Tag>
            ))}
        </Space>
        {editable && rules && (
          <Space wrap>
            <Popconfirm
              title={`删除${year}年单独设置的考核规则？`}
              description="之后本年度采用所选的系统考核标准；未选择时本年度不计分。得分由已登记的事件重新算出，不影响记录本身。"
              okText="删除"
              cancelText="取消"
              onConfirm={reset}
              disabled={rules.isDefault}
            >
              <Button disabled={rules.isDefault || busy !== null} loading={busy === 'reset'}>
                删除本年度规则
              </Button>
            </Popconfirm>
            <Button type="primary" onClick={save} loading={busy === 'save'} disabled={busy !== null}>
              保存
            </Button>
          </Space>
        )}
      </div>
      {!editable && <Alert className="page-alert" type="info" showIcon message="考核规则由管理员设置，您可以查看。" />}
      {rules && (
        <Card size="small" className="page-alert" title="未单独设置规则的年度">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              没有考核规则就不计分。可以选择采用系统提供的考核标准，或为某一年度单独设置规则（单独设置的优先）。
            </Typography.Text>
            <Select
              aria-label="系统考核标准"
              data-testid="scoring-table"
              style={{ width: '100%' }}
              value={rules.table ?? ''}
              disabled={!editable || busy !== null}
              onChange={(v: string) => void chooseTable(v === '' ? null : v)}
              options={[
                { value: '', label: '不采用（未单独设置规则的年度不计分）' },
                ...rules.tables.map((t) => ({ value: t.value, label: t.label })),
              ]}
            />
            {!rules.scored && (
              <Alert
                type="warning"
                showIcon
                message={`${year}年没有考核规则，各单位不计分。下方数值为县级督查督办考核标准，仅供参考；保存后即按此计分。`}
              />
            )}
          </Space>
        </Card>
      )}
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
        <Card size="small" title="扣分、加分标准（每次）" className="settings-card">
          {(rules?.eventTypes ?? []).map((t) => {
            const adds = !!(rules?.events as ScoringRules['events'] | undefined)?.find((e) => e.key === t.value)?.adds;
            const what = adds ? '加分' : '扣分';
            return (
              <Form.Item
                key={t.value}
                name={['deductions', t.value]}
                label={`${t.label}（${what}）`}
                rules={[{ required: true, message: `请填写「${t.label}」的${what}` }]}
              >
                <InputNumber
                  min={0}
                  max={1000}
                  step={0.1}
                  precision={2}
                  addonAfter="分"
                  aria-label={`${t.label}${what}`}
                />
              </Form.Item>
            );
          })}
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
      {rules && (rules.events as ScoringRules['events'] | undefined) && (
        <ScoreEventsCard
          key={rules.events.map((e) => `${e.key}:${e.name}:${e.adds}`).join('|')}
          events={rules.events}
          onSaved={() => void settingsApi.rules(year).then(show)}
        />
      )}
      {rules?.updatedAt && (
        <Typography.Paragraph type="secondary" className="settings-updated">
          {formatDateTime(rules.updatedAt)} {rules.updatedByName} 修改
        </Typography.Paragraph>
      )}
    </div>
  );
}
