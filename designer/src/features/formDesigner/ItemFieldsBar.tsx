import { Form, Select, Space, Typography } from 'antd';
import type { FormDefinition } from '../../shared/flow';
import { defaultSourceField, defaultTitleField, itemFieldsWith, SOURCE_TYPES } from './itemFields';

/**
 * 事项信息 on the start form: which field is the item's title (by default a field keyed title, else the first single-line
 * text), which date field, if any, is its 完成时限 (decision 029), and which field says where it came from — the ledger's
 * 来源 (by default a field keyed source, else a choice named 来源 or 依据; decision 033).
 */
export function ItemFieldsBar({ form, onChange }: { form: FormDefinition; onChange: (form: FormDefinition) => void }) {
  const texts = form.fields.filter(
    (f) => f.type === 'text' || f.type === 'textarea' || f.type === 'select' || f.type === 'radio',
  );
  const dates = form.fields.filter((f) => f.type === 'date');
  const fallback = defaultTitleField(form);
  const title = form.itemFields?.title ?? undefined;
  const deadline = form.itemFields?.deadline ?? undefined;
  const sources = form.fields.filter((f) => SOURCE_TYPES.has(f.type));
  const source = form.itemFields?.source ?? undefined;
  const sourceFallback = defaultSourceField(form);
  return (
    <Form layout="vertical" component="div" className="form-designer__item-fields" data-testid="item-fields">
      <Space wrap size="large" align="start">
        <Form.Item
          label="事项标题取自"
          htmlFor="item-title-field"
          help={
            title
              ? undefined
              : fallback
                ? `未指定时取「${fallback.label}」`
                : '表单中还没有文本字段，事项将以流程名称命名'
          }
        >
          <Select
            id="item-title-field"
            aria-label="事项标题取自"
            style={{ minWidth: 180 }}
            allowClear
            placeholder={fallback ? `默认：${fallback.label}` : '流程名称'}
            value={title}
            options={texts.map((f) => ({ value: f.key, label: f.label || '（未命名）' }))}
            onChange={(v: string | undefined) => onChange(itemFieldsWith(form, { title: v ?? null }))}
          />
        </Form.Item>
        <Form.Item
          label="事项完成时限取自"
          htmlFor="item-deadline-field"
          help={
            deadline
              ? '登记时填写的日期即事项完成时限；未填时按流程设置的事项完成时限'
              : '不取表单：按流程设置的事项完成时限'
          }
        >
          <Select
            id="item-deadline-field"
            aria-label="事项完成时限取自"
            style={{ minWidth: 180 }}
            allowClear
            placeholder="不取表单"
            value={deadline}
            options={dates.map((f) => ({ value: f.key, label: f.label || '（未命名）' }))}
            onChange={(v: string | undefined) => onChange(itemFieldsWith(form, { deadline: v ?? null }))}
          />
        </Form.Item>
        <Form.Item
          label="事项来源取自"
          htmlFor="item-source-field"
          help={
            source
              ? '台账的“来源”列和来源筛选取此字段'
              : sourceFallback
                ? `未指定时取「${sourceFallback.label}」`
                : '不取表单：台账中来源为空'
          }
        >
          <Select
            id="item-source-field"
            aria-label="事项来源取自"
            style={{ minWidth: 180 }}
            allowClear
            placeholder={sourceFallback ? `默认：${sourceFallback.label}` : '不取表单'}
            value={source}
            options={sources.map((f) => ({ value: f.key, label: f.label || '（未命名）' }))}
            onChange={(v: string | undefined) => onChange(itemFieldsWith(form, { source: v ?? null }))}
          />
        </Form.Item>
      </Space>
      <Typography.Paragraph type="secondary">
        事项标题和完成时限显示在待办、事项列表和台账中；事项来源是台账的“来源”列和筛选。
      </Typography.Paragraph>
    </Form>
  );
}
