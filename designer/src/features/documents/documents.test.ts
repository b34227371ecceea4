import { describe, expect, it } from 'vitest';
import { describe as describeLine } from '../item/timeline';
import type { TimelineEntry } from '../../api/types';
import { documentLinks, groupPlaceholders } from './documentsApi';
import { mayGenerateDocuments } from './ItemDocumentsCard';

describe('documents', () => {
  it('groups placeholders in the order the server lists them', () => {
    const groups = groupPlaceholders([
      { name: '单位名称', description: '', group: '通用' },
      { name: '事项标题', description: '', group: '事项' },
      { name: '文号', description: '', group: '通用' },
    ]);
    expect(groups.map((g) => g.group)).toEqual(['通用', '事项']);
    expect(groups[0].items.map((p) => p.name)).toEqual(['单位名称', '文号']);
  });

  it('links downloads as Word or PDF', () => {
    expect(documentLinks.document('d1')).toBe('/api/documents/d1');
    expect(documentLinks.document('d1', true)).toBe('/api/documents/d1?format=pdf');
    expect(documentLinks.preview('v1', 'i1', true)).toBe(
      '/api/document-templates/versions/v1/preview?instanceId=i1&format=pdf',
    );
    expect(documentLinks.archive('i1')).toBe('/api/instances/i1/archive');
  });

  it('lets the office and administrators generate documents, nobody else', () => {
    expect(mayGenerateDocuments({ roles: ['督查员'], permissions: ['seeAllItems', 'supervise', 'score'] })).toBe(true);
    // Roles are the organization's data (decision 049): its own role with 督查督办 may, a 管理员 without it may not.
    expect(mayGenerateDocuments({ roles: ['督查专员'], permissions: ['supervise'] })).toBe(true);
    expect(mayGenerateDocuments({ roles: ['管理员'], permissions: ['manageUnitsAndPeople'] })).toBe(false);
    expect(mayGenerateDocuments({ roles: ['领导'], permissions: ['seeAllItems'] })).toBe(false);
    expect(mayGenerateDocuments({ roles: ['承办单位联络员'], permissions: ['handleUnitTasks'] })).toBe(false);
  });

  it('reads a generated document on the timeline with its 文号', () => {
    const line = describeLine({
      id: 1,
      kind: 'documentGenerated',
      at: '2026-03-02T01:00:00Z',
      activityId: null,
      activityName: null,
      round: 0,
      actorId: 'u',
      actorName: '王督查',
      taskId: null,
      outcome: null,
      comment: '生成《督查通知单》，文号 督通〔2026〕1号',
      data: { templateName: '督查通知单', number: '督通〔2026〕1号', fileName: '督查通知单.docx' },
    } as TimelineEntry);
    expect(line.title).toBe('生成文书《督查通知单》 督通〔2026〕1号');
    expect(line.detail).toBe('督查通知单.docx');
  });
});
