import { DeleteOutlined, EditOutlined, HolderOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { App as AntdApp, Badge, Button, Empty, Input, Result, Select, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useBlocker, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { FormRenderer } from '../../shared/forms/FormRenderer';
import { validateForm } from '../../shared/forms/logic';
import type { FieldErrors, FieldPermission, FormDefinition, FormField, FormValues } from '../../shared/forms/types';
import { changedSince, definitionsApi } from '../../shared/flow/definitionsApi';
import { formatDateTime } from '../../shared/format';
import { conditionFields, type DefinitionDocument, type WorkflowDefinition } from '../../shared/flow';
import { useQuery } from '../../shared/useQuery';
import { getLiteral } from '../../shared/flow/inputs';
import { FieldProperties } from './FieldProperties';
import { ItemFieldsBar } from './ItemFieldsBar';
import { titleField } from './itemFields';
import {
  addField,
  FIELD_TYPE_INFO,
  fieldTypeLabel,
  formUsedBy,
  moveField,
  newFormId,
  removeField,
  renameFieldKey,
  stepsUsingForm,
  updateField,
} from './formModel';
import './formDesigner.css';

const PALETTE_PREFIX = 'palette:';
const CANVAS_ID = 'form-canvas';

/**
 * 表单设计: a form belongs to a procedure (definition.forms, versioned with it). Pick the procedure and the
 * form, drag field types in, reorder, set each field's rules and visibility, preview it as a step sees it, and
 * save into the procedure's draft.
 */
export default function FormDesignerPage() {
  const { message, modal } = AntdApp.useApp();
  const [search, setSearch] = useSearchParams();
  const definitionId = search.get('definition') ?? undefined;
  const formParam = search.get('form') ?? undefined;
  const list = useQuery(['definitions'], (signal) => definitionsApi.list(signal));
  const procedures = list.data?.map((p) => ({ definitionId: p.definitionId, name: p.name })) ?? null;
  const loaded = useQuery(definitionId ? ['definition', definitionId] : null, (signal) =>
    definitionsApi.get(definitionId!, undefined, signal),
  );
  const [document, setDocument] = useState<DefinitionDocument | null>(null);
  const [definition, setDefinition] = useState<WorkflowDefinition | null>(null);
  const [saved, setSaved] = useState<string>('');
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const loadError = loaded.error ? errorMessage(loaded.error) : list.error ? errorMessage(list.error) : null;

  // Another procedure (or its first load) starts the editor afresh from what the server has. React's "adjust state when
  // data changes" pattern: set during render, so no effect renders a stale form first.
  const current = definitionId && !loaded.loading ? (loaded.data ?? null) : null;
  const [shown, setShown] = useState<DefinitionDocument | null>(null);
  if (current !== shown) {
    setShown(current);
    setDocument(current);
    setDefinition(current?.definition ?? null);
    if (current) setSaved(JSON.stringify(current.definition));
    setSelectedKey(null);
  }

  const forms = definition?.forms ?? [];
  const formId = formParam && forms.some((f) => f.id === formParam) ? formParam : forms[0]?.id;
  const form = forms.find((f) => f.id === formId);
  const dirty = definition !== null && JSON.stringify(definition) !== saved;

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: '有未保存的修改',
      content: '离开后本次对表单的修改将丢失。确定离开吗？',
      okText: '离开',
      cancelText: '留下',
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker, modal]);

  const setParams = (next: { definition?: string; form?: string }) => {
    const params = new URLSearchParams();
    if (next.definition) params.set('definition', next.definition);
    if (next.form) params.set('form', next.form);
    setSearch(params);
  };

  const changeForm = useCallback(
    (fn: (f: FormDefinition) => FormDefinition) =>
      setDefinition((d) => (d ? { ...d, forms: (d.forms ?? []).map((f) => (f.id === formId ? fn(f) : f)) } : d)),
    [formId, setDefinition],
  );

  const save = async () => {
    if (!definition) return;
    setSaving(true);
    try {
      const latest = document ? await changedSince(document.meta) : null;
      if (latest) {
        const go = await new Promise<boolean>((resolve) =>
          modal.confirm({
            title: '流程已被他人修改',
            content: `第 ${latest.version} 版已于 ${formatDateTime(latest.updatedAt)}${latest.isPublished ? '发布' : '保存'}。继续保存将以本页的流程内容覆盖（历史版本可在流程设计的“版本”中查看）。`,
            okText: '仍然保存',
            cancelText: '取消',
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          }),
        );
        if (!go) return;
      }
      const meta = await definitionsApi.saveDraft(definition);
      setSaved(JSON.stringify(definition));
      setDocument((doc) => (doc ? { meta, definition } : doc));
      message.success(`表单已保存到流程草稿（第 ${meta.version} 版），在流程设计中发布后生效`);
    } catch (e) {
      message.error(`保存失败：${errorMessage(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const createForm = () => {
    if (!definition) return;
    const id = newFormId(definition);
    const name = forms.length === 0 ? `${definition.name}表` : `表单${forms.length + 1}`;
    setDefinition({ ...definition, forms: [...forms, { id, name, fields: [] }] });
    setParams({ definition: definition.definitionId, form: id });
  };

  const deleteForm = () => {
    if (!definition || !form) return;
    const users = formUsedBy(definition, form.id);
    if (users.length > 0) {
      modal.warning({
        title: '不能删除',
        content: `以下环节使用此表单：${users.join('、')}。请先在流程设计中改用其他表单。`,
      });
      return;
    }
    modal.confirm({
      title: `删除表单「${form.name}」？`,
      okText: '删除',
      okButtonProps: { danger: true },
      onOk: () => {
        setDefinition({ ...definition, forms: forms.filter((f) => f.id !== form.id) });
        setParams({ definition: definition.definitionId });
      },
    });
  };

  return (
    <div className="form-designer">
      <div className="form-designer__bar">
        <Space wrap size={8}>
          <Select
            aria-label="选择流程"
            data-testid="form-designer-procedure"
            style={{ width: 240 }}
            placeholder="选择流程"
            loading={procedures === null}
            value={definitionId}
            showSearch
            optionFilterProp="label"
            options={(procedures ?? []).map((p) => ({ value: p.definitionId, label: p.name }))}
            onChange={(id: string) => setParams({ definition: id })}
          />
          {definition && (
            <>
              <Select
                aria-label="选择表单"
                data-testid="form-designer-form"
                style={{ width: 200 }}
                placeholder="该流程还没有表单"
                value={formId}
                options={forms.map((f) => ({ value: f.id, label: f.name }))}
                onChange={(id: string) => setParams({ definition: definition.definitionId, form: id })}
              />
              <Button icon={<PlusOutlined />} onClick={createForm}>
                新建表单
              </Button>
            </>
          )}
          {document && (
            <Tag color={document.meta.isPublished ? 'green' : 'orange'}>
              {document.meta.isPublished
                ? `第 ${document.meta.version} 版已发布（保存后生成新草稿）`
                : `第 ${document.meta.version} 版草稿`}
            </Tag>
          )}
          {dirty && <Badge status="processing" text="未保存" />}
        </Space>
        <Space>
          {definition && <Link to={`/designer/${encodeURIComponent(definition.definitionId)}`}>打开流程设计</Link>}
          <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={saving} onClick={() => void save()}>
            保存到流程草稿
          </Button>
        </Space>
      </div>
      {loadError && <Result status="error" title="加载失败" subTitle={loadError} />}
      {!definitionId && !loadError && (
        <Empty className="form-designer__empty" description="请选择一个流程；表单随流程一起保存和发布" />
      )}
      {definitionId && !definition && !loadError && (
        <div className="page-center">
          <Spin size="large" />
        </div>
      )}
      {definition && !form && (
        <Empty className="form-designer__empty" description="该流程还没有表单">
          <Button type="primary" icon={<PlusOutlined />} onClick={createForm}>
            新建表单
          </Button>
        </Empty>
      )}
      {definition && form && (
        <FormEditor
          key={`${definition.definitionId}:${form.id}`}
          definition={definition}
          form={form}
          selectedKey={selectedKey}
          onSelect={setSelectedKey}
          onChangeForm={changeForm}
          onChangeDefinition={setDefinition}
          onDeleteForm={deleteForm}
        />
      )}
    </div>
  );
}

function FormEditor({
  definition,
  form,
  selectedKey,
  onSelect,
  onChangeForm,
  onChangeDefinition,
  onDeleteForm,
}: {
  definition: WorkflowDefinition;
  form: FormDefinition;
  selectedKey: string | null;
  onSelect: (key: string | null) => void;
  onChangeForm: (fn: (f: FormDefinition) => FormDefinition) => void;
  onChangeDefinition: (d: WorkflowDefinition) => void;
  onDeleteForm: () => void;
}) {
  const [dragging, setDragging] = useState<string | null>(null);
  const [tab, setTab] = useState('design');
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const selected = form.fields.find((f) => f.key === selectedKey);
  const isStartForm = definition.root.activities.some(
    (a) => a.type === 'Duban.Start' && getLiteral(a, 'form') === form.id,
  );

  const onDragStart = (e: DragStartEvent) => setDragging(String(e.active.id));
  const onDragEnd = (e: DragEndEvent) => {
    setDragging(null);
    const active = String(e.active.id);
    const over = e.over ? String(e.over.id) : null;
    if (!over) return;
    if (active.startsWith(PALETTE_PREFIX)) {
      const type = active.slice(PALETTE_PREFIX.length);
      // Over a field: above it when dropped on its upper half, below it on its lower half (a drop under the last
      // field used to land above it).
      const dropped = e.active.rect.current.translated;
      const below =
        !!dropped && !!e.over && dropped.top + dropped.height / 2 > e.over.rect.top + e.over.rect.height / 2;
      const overIndex = form.fields.findIndex((f) => f.key === over);
      const index = over === CANVAS_ID || overIndex < 0 ? form.fields.length : overIndex + (below ? 1 : 0);
      let added = '';
      onChangeForm((f) => {
        const r = addField(f, type, index < 0 ? f.fields.length : index);
        added = r.key;
        return r.form;
      });
      window.setTimeout(() => onSelect(added), 0);
      return;
    }
    if (over === CANVAS_ID || over === active) return;
    const from = form.fields.findIndex((f) => f.key === active);
    const to = form.fields.findIndex((f) => f.key === over);
    if (from >= 0 && to >= 0) onChangeForm((f) => moveField(f, from, to));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDragging(null)}
    >
      <div className="form-designer__body">
        <aside className="form-designer__palette" aria-label="字段类型">
          <Typography.Text type="secondary" className="form-designer__hint">
            拖到表单中添加
          </Typography.Text>
          {(['基础', '选择', '组织', '高级'] as const).map((group) => (
            <div key={group}>
              <div className="form-designer__group">{group}</div>
              {FIELD_TYPE_INFO.filter((t) => t.group === group).map((t) => (
                <PaletteItem
                  key={t.type}
                  type={t.type}
                  label={t.label}
                  onAdd={() => {
                    let added = '';
                    onChangeForm((f) => {
                      const r = addField(f, t.type);
                      added = r.key;
                      return r.form;
                    });
                    window.setTimeout(() => onSelect(added), 0);
                  }}
                />
              ))}
            </div>
          ))}
        </aside>
        <main className="form-designer__main">
          <Tabs
            activeKey={tab}
            onChange={setTab}
            tabBarExtraContent={
              <Space size={4}>
                <FormNameEditor name={form.name} onChange={(name) => onChangeForm((f) => ({ ...f, name }))} />
                <Button size="small" danger type="text" icon={<DeleteOutlined />} onClick={onDeleteForm}>
                  删除表单
                </Button>
              </Space>
            }
            items={[
              {
                key: 'design',
                label: `设计（${form.fields.length} 个字段）`,
                children: (
                  <>
                    {isStartForm && <ItemFieldsBar form={form} onChange={(next) => onChangeForm(() => next)} />}
                    <FieldList
                      form={form}
                      startForm={isStartForm}
                      selectedKey={selectedKey}
                      onSelect={onSelect}
                      onRemove={(key) => {
                        onChangeForm((f) => removeField(f, key));
                        if (key === selectedKey) onSelect(null);
                      }}
                    />
                  </>
                ),
              },
              { key: 'preview', label: '预览', children: <Preview definition={definition} form={form} /> },
            ]}
          />
        </main>
        <aside className="form-designer__properties" aria-label="字段属性">
          {selected ? (
            <FieldProperties
              key={selected.key}
              form={form}
              field={selected}
              onChange={(patch) => onChangeForm((f) => updateField(f, selected.key, patch))}
              conditionFieldsFor={conditionFields(definition)}
              steps={definition.root.activities
                .filter((a) => a.type !== 'Duban.Start')
                .map((a) => ({ id: a.id, name: a.name ?? a.id }))}
              onRenameKey={(key) => {
                onChangeDefinition(renameFieldKey(definition, form.id, selected.key, key));
                onSelect(key);
                return null;
              }}
              onRemove={() => {
                onChangeForm((f) => removeField(f, selected.key));
                onSelect(null);
              }}
            />
          ) : (
            <Typography.Paragraph type="secondary" className="form-designer__nothing">
              点击表单中的字段编辑其名称、必填、选项、校验规则和显示条件。
            </Typography.Paragraph>
          )}
        </aside>
      </div>
      <DragOverlay dropAnimation={null}>
        {dragging?.startsWith(PALETTE_PREFIX) ? (
          <div className="form-designer__palette-item form-designer__palette-item--overlay">
            {fieldTypeLabel(dragging.slice(PALETTE_PREFIX.length))}
          </div>
        ) : dragging ? (
          <div className="form-field-card form-field-card--overlay">
            {form.fields.find((f) => f.key === dragging)?.label}
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

function FormNameEditor({ name, onChange }: { name: string; onChange: (name: string) => void }) {
  const [editing, setEditing] = useState(false);
  return editing ? (
    <Input
      size="small"
      autoFocus
      aria-label="表单名称"
      defaultValue={name}
      style={{ width: 180 }}
      onBlur={(e) => {
        if (e.target.value.trim()) onChange(e.target.value.trim());
        setEditing(false);
      }}
      onPressEnter={(e) => (e.target as HTMLInputElement).blur()}
    />
  ) : (
    <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(true)}>
      {name}
    </Button>
  );
}

function PaletteItem({ type, label, onAdd }: { type: string; label: string; onAdd: () => void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `${PALETTE_PREFIX}${type}` });
  return (
    <div
      ref={setNodeRef}
      {...listeners}
      {...attributes}
      className={`form-designer__palette-item${isDragging ? ' form-designer__palette-item--dragging' : ''}`}
      data-testid={`field-palette-${type}`}
      onDoubleClick={onAdd}
      aria-label={`添加${label}`}
    >
      {label}
    </div>
  );
}

function FieldList({
  form,
  startForm,
  selectedKey,
  onSelect,
  onRemove,
}: {
  form: FormDefinition;
  /** The procedure's start form: its fields name the item. */
  startForm: boolean;
  selectedKey: string | null;
  onSelect: (key: string) => void;
  onRemove: (key: string) => void;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: CANVAS_ID });
  return (
    <div
      ref={setNodeRef}
      className={`form-designer__canvas${isOver ? ' form-designer__canvas--over' : ''}`}
      data-testid="form-canvas"
    >
      <SortableContext items={form.fields.map((f) => f.key)} strategy={verticalListSortingStrategy}>
        {form.fields.map((field) => (
          <FieldCard
            key={field.key}
            field={field}
            selected={field.key === selectedKey}
            role={startForm ? itemRoleOf(form, field.key) : null}
            onSelect={() => onSelect(field.key)}
            onRemove={() => onRemove(field.key)}
          />
        ))}
      </SortableContext>
      <div className="form-designer__drop-hint">
        {form.fields.length === 0 ? '把左侧的字段类型拖到这里' : '拖到此处添加到末尾'}
      </div>
    </div>
  );
}

/** What a field of the start form says about the item: its title or its deadline (decision 029). */
function itemRoleOf(form: FormDefinition, key: string): string | null {
  if (titleField(form)?.key === key) return '事项标题';
  if (form.itemFields?.deadline === key) return '事项完成时限';
  return null;
}

function FieldCard({
  field,
  selected,
  role,
  onSelect,
  onRemove,
}: {
  field: FormField;
  selected: boolean;
  role: string | null;
  onSelect: () => void;
  onRemove: () => void;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: field.key });
  const style = { transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.4 : 1 };
  return (
    <div
      ref={setNodeRef}
      style={style}
      className={`form-field-card${selected ? ' form-field-card--selected' : ''}`}
      data-testid={`form-field-${field.key}`}
      onClick={onSelect}
      role="button"
      tabIndex={-1}
    >
      <span className="form-field-card__handle" {...listeners} {...attributes} aria-label={`拖动排序：${field.label}`}>
        <HolderOutlined />
      </span>
      <div className="form-field-card__body">
        <div className="form-field-card__label">
          {field.required && <span className="form-field-card__required">*</span>}
          {field.label || <Typography.Text type="danger">（未命名）</Typography.Text>}
        </div>
        <div className="form-field-card__meta">
          <Tag bordered={false}>{fieldTypeLabel(field.type)}</Tag>
          {role && (
            <Tag color="gold" bordered={false}>
              {role}
            </Tag>
          )}
          {(field.visibleIf || field.visibleWhen) && (
            <Tag color="purple" bordered={false}>
              条件显示
            </Tag>
          )}
          {(field.pattern ||
            field.min != null ||
            field.max != null ||
            field.minLength != null ||
            field.maxLength != null) && (
            <Tag color="blue" bordered={false}>
              有校验规则
            </Tag>
          )}
        </div>
      </div>
      <Button
        type="text"
        size="small"
        icon={<DeleteOutlined />}
        aria-label={`删除字段${field.label}`}
        onClick={(e) => {
          e.stopPropagation();
          onRemove();
        }}
      />
    </div>
  );
}

/** The form as a staff member sees it at a chosen step (its field permissions), with the browser-side checks. */
function Preview({ definition, form }: { definition: WorkflowDefinition; form: FormDefinition }) {
  const steps = useMemo(() => stepsUsingForm(definition, form.id), [definition, form.id]);
  const [step, setStep] = useState<string>('all');
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<FieldErrors | undefined>(undefined);
  const permissions = (steps.find((s) => s.id === step)?.permissions ?? {}) as Record<string, FieldPermission>;
  return (
    <div className="form-designer__preview" data-testid="form-preview">
      <Space wrap className="form-designer__preview-bar">
        <span>以此环节查看：</span>
        <Select
          aria-label="预览环节"
          style={{ width: 220 }}
          value={step}
          options={[{ value: 'all', label: '全部字段可填写' }, ...steps.map((s) => ({ value: s.id, label: s.name }))]}
          onChange={(v: string) => {
            setStep(v);
            setErrors(undefined);
          }}
        />
        <Button
          onClick={() => {
            const found = validateForm(form, values, { permissions });
            setErrors(found);
          }}
        >
          模拟提交校验
        </Button>
        <Button
          onClick={() => {
            setValues({});
            setErrors(undefined);
          }}
        >
          清空
        </Button>
        {errors && Object.keys(errors).length === 0 && <Tag color="green">校验通过</Tag>}
      </Space>
      <div className="form-designer__preview-form">
        {form.fields.length === 0 ? (
          <Empty description="表单还没有字段" />
        ) : (
          <FormRenderer
            form={form}
            values={values}
            original={{}}
            permissions={permissions}
            errors={errors}
            onChange={(v) => {
              setValues(v);
              if (errors) setErrors(validateForm(form, v, { permissions }));
            }}
          />
        )}
      </div>
    </div>
  );
}
