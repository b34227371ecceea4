import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDirectory } from '../../../shared/forms/directory';
import { getLiteral, indexDescriptors, type ActivityNode, type WorkflowDefinition } from '../../../shared/flow';
import { mockFetch } from '../../../test/fetchMock';
import { PropertyPanel, type ActivityChange } from './PropertyPanel';
import { NameListEditor } from './editors';
import { MemoryRouter } from 'react-router';
import { useState } from 'react';

const literal = (value: unknown) => ({ typeName: 'Object', expression: { type: 'Literal', value } });

const definition: WorkflowDefinition = {
  definitionId: 'p',
  name: '流程',
  forms: [
    { id: 'f', name: '督办表', fields: [{ key: 'report', label: '办理情况', type: 'textarea' }] },
    {
      id: 'reg',
      name: '登记',
      fields: [
        {
          key: 'needLeader',
          label: '是否需领导审批',
          type: 'select',
          options: [
            { value: 'yes', label: '是' },
            { value: 'no', label: '否' },
          ],
        },
      ],
    },
  ],
  root: { activities: [], connections: [] },
};

function renderPanel(activity: ActivityNode, onChange = vi.fn<(a: ActivityNode, c?: ActivityChange) => void>()) {
  render(
    <MemoryRouter>
      <PropertyPanel
        activity={activity}
        definition={definition}
        descriptors={indexDescriptors([
          {
            type: 'Duban.Future',
            displayName: '未来节点',
            category: '人工',
            ports: ['完成'],
            description: '以后才有的节点',
          },
        ])}
        procedures={[]}
        onChange={onChange}
        onRename={() => null}
      />
    </MemoryRouter>,
  );
  return onChange;
}

beforeEach(() => {
  // CodeMirror measures text; jsdom has no layout.
  Range.prototype.getClientRects ??= () =>
    ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect ??= () => new DOMRect();
  resetDirectory();
  mockFetch({
    'GET /api/units': { body: [{ id: 'jinan', name: '济南市司法局', parentId: null }] },
    'GET /api/users': { body: [] },
    'GET /api/roles': { body: ['督查员'] },
  });
});

describe('NameListEditor (outcomes, branches)', () => {
  it('reports a renamed entry so its connections can follow', () => {
    const onChange = vi.fn();
    render(<NameListEditor testId="list" addLabel="添加结果" value={['通过', '退回']} onChange={onChange} />);
    fireEvent.change(screen.getByRole('textbox', { name: '结果1' }), { target: { value: '同意' } });
    expect(onChange).toHaveBeenLastCalledWith(['同意', '退回'], { 通过: '同意' });
  });

  it('does not write an empty or duplicate name, and says why', () => {
    const onChange = vi.fn();
    render(<NameListEditor testId="list" addLabel="添加结果" value={['通过', '退回']} onChange={onChange} />);
    const box = screen.getByRole('textbox', { name: '结果1' });
    fireEvent.change(box, { target: { value: '退回' } });
    expect(screen.getByText('名称不能重复')).toBeInTheDocument();
    fireEvent.change(box, { target: { value: ' ' } });
    expect(onChange).not.toHaveBeenCalled();
  });

  it('adds a new entry with a free name and removes one', () => {
    const onChange = vi.fn();
    render(<NameListEditor testId="list" addLabel="添加结果" value={['结果2']} onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: /添加结果/ }));
    expect(onChange).toHaveBeenLastCalledWith(['结果2', '结果3'], {});
    fireEvent.click(screen.getByRole('button', { name: '删除结果2' }));
    expect(onChange).toHaveBeenLastCalledWith([], {});
  });
});

/** The panel with its node kept in state, so one click builds on the last. */
function StatefulPanel({ initial, onChange }: { initial: ActivityNode; onChange: (a: ActivityNode) => void }) {
  const [activity, setActivity] = useState(initial);
  return (
    <MemoryRouter>
      <PropertyPanel
        activity={activity}
        definition={definition}
        descriptors={indexDescriptors([])}
        procedures={[]}
        onChange={(next) => {
          setActivity(next);
          onChange(next);
        }}
        onRename={() => null}
      />
    </MemoryRouter>
  );
}

async function pick(label: string, option: string) {
  fireEvent.mouseDown(within(screen.getAllByLabelText(label)[0].closest('.ant-select')!).getByRole('combobox'));
  await screen.findAllByText(option);
  const choices = [
    ...document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option'),
  ];
  fireEvent.click(choices.find((c) => c.getAttribute('title') === option)!);
}

describe('Condition builder', () => {
  it(
    'builds a condition on a choice field by clicking: field, operator, the option by its label',
    { timeout: 90_000 },
    async () => {
      const onChange = vi.fn<(a: ActivityNode) => void>();
      render(<StatefulPanel initial={{ id: 'd', type: 'Duban.Decision', name: '需领导审批？' }} onChange={onChange} />);
      await pick('判断条件第1条的字段', '是否需领导审批');
      await pick('判断条件第1条的值', '是');
      const last = onChange.mock.calls.at(-1)![0];
      expect(last.condition).toEqual({
        typeName: 'Boolean',
        expression: {
          type: 'Condition',
          value: { match: 'all', rules: [{ field: 'needLeader', op: 'eq', value: 'yes' }] },
        },
      });
      expect(screen.getByTestId('condition-condition-words')).toHaveTextContent('条件：是否需领导审批 等于 是');
    },
  );

  it('switches to 高级 with the same condition as a script', { timeout: 90_000 }, () => {
    const onChange = vi.fn<(a: ActivityNode) => void>();
    render(
      <StatefulPanel
        initial={{
          id: 'd',
          type: 'Duban.Decision',
          condition: {
            typeName: 'Boolean',
            expression: {
              type: 'Condition',
              value: { match: 'all', rules: [{ field: 'needLeader', op: 'eq', value: 'yes' }] },
            },
          },
        }}
        onChange={onChange}
      />,
    );
    fireEvent.click(screen.getByRole('radio', { name: '高级（脚本）' }));
    expect(onChange.mock.calls.at(-1)![0].condition).toEqual({
      typeName: 'Boolean',
      expression: { type: 'JavaScript', value: 'item.needLeader === "yes"' },
    });
  });
});

describe('PropertyPanel', () => {
  it('shows a syntax error in a condition as it is typed', async () => {
    const onChange = renderPanel({
      id: 'd',
      type: 'Duban.Decision',
      name: '判断',
      condition: { typeName: 'Boolean', expression: { type: 'JavaScript', value: 'item.amount >' } },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('语法错误');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('edits the field permissions of the chosen form', { timeout: 90_000 }, () => {
    const onChange = renderPanel({ id: 't', type: 'Duban.UserTask', form: literal('f') });
    fireEvent.click(within(screen.getByTestId('field-permissions')).getByRole('button', { name: /只\s*读/ }));
    expect(getLiteral(onChange.mock.calls.at(-1)![0], 'fieldPermissions')).toEqual({ report: 'readOnly' });
  });

  it('offers the outcomes that close with the step’s deadline, always leaving one open', async () => {
    const onChange = renderPanel({
      id: 't',
      type: 'Duban.UserTask',
      outcomes: literal(['签收', '退回']),
      outcomesUntilDue: literal(['退回']),
    });
    const select = screen.getByTestId('outcomes-until-due');
    expect(within(select).getByText('退回')).toBeInTheDocument();
    // Edited here, not as a raw parameter under 其他参数.
    expect(screen.queryByLabelText('参数 outcomesUntilDue')).toBeNull();
    fireEvent.mouseDown(within(select).getByRole('combobox'));
    await screen.findAllByText('签收');
    const keep = document.querySelector('.ant-select-item-option[title="签收"]');
    expect(keep?.className).toContain('disabled');
    fireEvent.click(document.querySelector('.ant-select-item-option[title="退回"]')!);
    expect(onChange.mock.calls.at(-1)![0].outcomesUntilDue).toBeUndefined();
  });

  it('marks an outcome as sending back with a checkbox, whatever it is called; 退回 always does', () => {
    const onChange = renderPanel({ id: 't', type: 'Duban.UserTask', outcomes: literal(['通过', '复办', '退回']) });
    const box = screen.getByTestId('sends-back');
    expect(within(box).getByLabelText('「退回」退回重办')).toBeChecked();
    expect(within(box).getByLabelText('「退回」退回重办')).toBeDisabled();
    expect(within(box).getByLabelText('「复办」退回重办')).not.toBeChecked();
    // Edited here, not as a raw parameter under 其他参数.
    expect(screen.queryByLabelText('参数 sendsBack')).toBeNull();
    fireEvent.click(within(box).getByLabelText('「复办」退回重办'));
    const next = onChange.mock.calls.at(-1)![0];
    expect(getLiteral(next, 'sendsBack')).toEqual(['复办']);
    expect(getLiteral(next, 'outcomes')).toEqual(['通过', '复办', '退回']);
  });

  it('counts an outcome as one of the organization’s score events, picked by name', async () => {
    mockFetch({
      'GET /api/units': { body: [] },
      'GET /api/users': { body: [] },
      'GET /api/roles': { body: ['督查员'] },
      'GET /api/scoring/events': {
        body: [
          { key: 'phone', name: '电话催办', adds: false, builtIn: true },
          { key: 'own-poor', name: '报送材料质量差', adds: false, builtIn: false },
          { key: 'own-fine', name: '报告质量优秀', adds: true, builtIn: false },
        ],
      },
    });
    const onChange = renderPanel({ id: 't', type: 'Duban.UserTask', outcomes: literal(['通过', '退回']) });
    const box = screen.getByTestId('outcome-scores');
    // Edited here, not as a raw parameter under 其他参数.
    expect(screen.queryByLabelText('参数 outcomeScores')).toBeNull();
    const select = within(box).getByRole('combobox', { name: '「退回」计入考核' });
    await vi.waitFor(() => expect(select).not.toBeDisabled());
    fireEvent.mouseDown(select);
    fireEvent.click(await screen.findByTitle('报送材料质量差'));
    const next = onChange.mock.calls.at(-1)![0];
    expect(getLiteral(next, 'outcomeScores')).toEqual({ 退回: 'own-poor' });
    expect(screen.getByTitle('报告质量优秀（加分）')).toBeInTheDocument();
  });

  it('keeps an outcome’s score event through a rename', () => {
    const onChange = renderPanel({
      id: 't',
      type: 'Duban.UserTask',
      outcomes: literal(['通过', '退回']),
      outcomeScores: literal({ 退回: 'own-poor' }),
    });
    fireEvent.change(screen.getByRole('textbox', { name: '结果2' }), { target: { value: '退回重报' } });
    expect(getLiteral(onChange.mock.calls.at(-1)![0], 'outcomeScores')).toEqual({ 退回重报: 'own-poor' });
  });

  it('names the document an outcome generates, picked from the organization’s templates, and ticks the outcomes that archive', async () => {
    mockFetch({
      'GET /api/units': { body: [] },
      'GET /api/users': { body: [] },
      'GET /api/roles': { body: ['督查员'] },
      'GET /api/scoring/events': { body: [] },
      'GET /api/document-templates': {
        body: { templates: [{ key: 'notice', name: '督查通知单' }], shipped: [], pdfAvailable: false },
      },
    });
    const onChange = renderPanel({ id: 't', type: 'Duban.UserTask', outcomes: literal(['交办', '归档']) });
    const box = screen.getByTestId('outcome-documents');
    // Edited here, not as a raw parameter under 其他参数.
    expect(screen.queryByLabelText('参数 outcomeDocuments')).toBeNull();
    const select = within(box).getByRole('combobox', { name: '「交办」生成文书' });
    await vi.waitFor(() => expect(select).not.toBeDisabled());
    fireEvent.mouseDown(select);
    fireEvent.click(await screen.findByTitle('督查通知单'));
    expect(getLiteral(onChange.mock.calls.at(-1)![0], 'outcomeDocuments')).toEqual({ 交办: 'notice' });

    fireEvent.click(within(screen.getByTestId('archive-outcomes')).getByLabelText('「归档」归档'));
    expect(getLiteral(onChange.mock.calls.at(-1)![0], 'archiveOutcomes')).toEqual(['归档']);
  });

  it('keeps an outcome’s document and archive mark through a rename', () => {
    const onChange = renderPanel({
      id: 't',
      type: 'Duban.UserTask',
      outcomes: literal(['交办', '归档']),
      outcomeDocuments: literal({ 交办: 'notice' }),
      archiveOutcomes: literal(['归档']),
    });
    fireEvent.change(screen.getByRole('textbox', { name: '结果2' }), { target: { value: '立卷归档' } });
    const next = onChange.mock.calls.at(-1)![0];
    expect(getLiteral(next, 'archiveOutcomes')).toEqual(['立卷归档']);
    expect(getLiteral(next, 'outcomeDocuments')).toEqual({ 交办: 'notice' });
  });

  it('offers every input of an activity type it has no page for', () => {
    const onChange = renderPanel({ id: 'x', type: 'Duban.Future', name: '新节点', target: literal({ level: 2 }) });
    expect(screen.getByText('未来节点')).toBeInTheDocument();
    const json = screen.getByLabelText('参数 target');
    fireEvent.change(json, {
      target: { value: '{"typeName":"Object","expression":{"type":"Literal","value":{"level":3}}}' },
    });
    expect(onChange.mock.calls.at(-1)![0].target).toEqual(literal({ level: 3 }));
  });
});
