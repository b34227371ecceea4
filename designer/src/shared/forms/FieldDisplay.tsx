import { PaperClipOutlined } from '@ant-design/icons';
import { Table, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { EMPTY } from '../format';
import { attachmentUrl, formatSize } from './attachments';
import type { Directory } from './directory';
import { attachmentList, isEmpty, opinionHistory } from './logic';
import type { FormField, OpinionEntry } from './types';

function optionLabel(field: FormField, value: unknown): string {
  const text = String(value);
  return field.options?.find((o) => o.value === text)?.label ?? text;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
}

/** A value as text, for read-only display (tables, item pages, read-only fields). */
export function displayText(field: FormField, value: unknown, directory: Directory): string {
  if (isEmpty(value)) return EMPTY;
  switch (field.type) {
    case 'select':
    case 'radio':
      return optionLabel(field, value);
    case 'multiSelect':
      return asList(value)
        .map((v) => optionLabel(field, v))
        .join('、');
    case 'checkbox':
      if (field.options && field.options.length > 0)
        return asList(value)
          .map((v) => optionLabel(field, v))
          .join('、');
      return value === true ? '是' : value === false ? '否' : String(value);
    case 'unit':
      return asList(value)
        .map((v) => directory.unitName(String(v)) ?? String(v))
        .join('、');
    case 'person':
      return asList(value)
        .map((v) => directory.userName(String(v)) ?? String(v))
        .join('、');
    case 'dateRange':
      return Array.isArray(value) ? `${String(value[0] ?? '')} 至 ${String(value[1] ?? '')}` : String(value);
    case 'attachments':
      return (
        attachmentList(value)
          .map((a) => a.name)
          .join('、') || EMPTY
      );
    case 'opinion':
      return opinionHistory(value)
        .map((o) => o.text)
        .join('；');
    case 'table':
      return `${asList(value).length} 行`;
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

export function AttachmentLinks({ value, extra }: { value: unknown; extra?: (id: string) => ReactNode }) {
  const list = attachmentList(value);
  if (list.length === 0) return <span className="form-empty">{EMPTY}</span>;
  return (
    <ul className="form-attachments">
      {list.map((a) => (
        <li key={a.id}>
          <PaperClipOutlined aria-hidden />
          <a href={attachmentUrl(a.id)} download={a.name} className="form-attachment-name">
            {a.name}
          </a>
          {a.size ? <span className="form-attachment-size">{formatSize(a.size)}</span> : null}
          {extra?.(a.id)}
        </li>
      ))}
    </ul>
  );
}

export function OpinionHistory({ value }: { value: unknown }) {
  const history = opinionHistory(value);
  if (history.length === 0) return <div className="form-empty opinion-empty">暂无意见</div>;
  return (
    <ol className="opinion-history" aria-label="历史意见">
      {history.map((entry: OpinionEntry, i) => (
        <li key={`${entry.at ?? ''}-${i}`} className="opinion-entry">
          <div className="opinion-text">{entry.text}</div>
          <div className="opinion-stamp">
            {[entry.userName, entry.unitName, entry.step].filter(Boolean).join(' · ')}
            {entry.at ? <span className="opinion-at">{dayjs(entry.at).format('YYYY-MM-DD HH:mm')}</span> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** Read-only rendering of one field's value. */
export function FieldDisplay({ field, value, directory }: { field: FormField; value: unknown; directory: Directory }) {
  switch (field.type) {
    case 'attachments':
      return <AttachmentLinks value={value} />;
    case 'opinion':
      return <OpinionHistory value={value} />;
    case 'table': {
      const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
      const columns = (field.columns ?? []).map((column) => ({
        title: column.label,
        key: column.key,
        render: (_: unknown, row: Record<string, unknown>) =>
          column.type === 'attachments' ? (
            <AttachmentLinks value={row?.[column.key]} />
          ) : (
            displayText(column, row?.[column.key], directory)
          ),
      }));
      return (
        <Table
          className="form-table-display"
          size="small"
          bordered
          pagination={false}
          rowKey={(_, i) => String(i)}
          columns={[
            { title: '序号', key: '#', width: 56, render: (_: unknown, __: unknown, i: number) => i + 1 },
            ...columns,
          ]}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '无' }}
        />
      );
    }
    case 'textarea':
      return isEmpty(value) ? (
        <span className="form-empty">{EMPTY}</span>
      ) : (
        <Typography.Paragraph className="form-display-multiline">{String(value)}</Typography.Paragraph>
      );
    default: {
      const text = displayText(field, value, directory);
      return <span className={text === EMPTY ? 'form-empty' : 'form-display'}>{text}</span>;
    }
  }
}
