import {
  ApartmentOutlined,
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  ExperimentOutlined,
  HistoryOutlined,
  RedoOutlined,
  SaveOutlined,
  SettingOutlined,
  UndoOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Background,
  ConnectionLineType,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection as FlowConnection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import '../../shared/flow/flow.css';
import { App as AntdApp, Alert, Badge, Button, Result, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Link, useBlocker, useNavigate, useParams, useSearchParams } from 'react-router';
import { errorMessage, isApiError } from '../../api/client';
import { DescriptorsContext } from '../../shared/flow/DescriptorsContext';
import { nodeTypes } from '../../shared/flow/ActivityNodeView';
import { FitViewOnLoad } from '../../shared/flow/FitViewOnLoad';
import { edgeTypes } from '../../shared/flow/ConnectionEdge';
import { activitiesApi, changedSince, definitionsApi } from '../../shared/flow/definitionsApi';
import { formatDateTime } from '../../shared/format';
import { useDirectory } from '../../shared/forms/directory';
import { directoryNames } from './properties/ConditionEditor';
import {
  conditionFields,
  FLOW_ARIA_LABELS,
  indexDescriptors,
  labelBranches,
  portLabel,
  type ActivityDescriptor,
  type ActivityFlowNode,
  type ConnectionFlowEdge,
  type DefinitionDocument,
  type DefinitionValidationError,
  type DefinitionVersion,
  type DescriptorIndex,
  type WorkflowDefinition,
} from '../../shared/flow';
import {
  activityIdProblem,
  addActivity,
  autoLayout,
  connect,
  connectionProblem,
  copySelection,
  deleteSelection,
  fromDefinition,
  parseClipboard,
  paste,
  renameActivity,
  toDefinition,
  updateActivity,
  withValidation,
  type Clipboard,
  type DesignDoc,
} from './model/document';
import { ACTIVITY_DRAG_TYPE, Palette } from './Palette';
import { PropertyPanel } from './properties/PropertyPanel';
import { ProcedureSettings } from './ProcedureSettings';
import { VersionsDrawer } from './VersionsDrawer';
import { SimulationDrawer } from '../simulation/SimulationDrawer';
import { simulationApi } from '../simulation/simulationApi';
import { useDesignerDoc } from './useDesignerDoc';
import { useQuery } from '../../shared/useQuery';
import { downloadJson, readJsonFile } from './files';
import './designer.css';

interface Loaded {
  document: DefinitionDocument;
  descriptors: ActivityDescriptor[];
  procedures: { definitionId: string; name: string }[];
}

/** 流程设计 for one procedure: `/designer/:definitionId` (latest version) or `?version=N` (read-only unless latest). */
export default function DesignerEditorPage() {
  const { definitionId = '' } = useParams();
  const [search] = useSearchParams();
  const version = search.get('version') ? Number(search.get('version')) : undefined;
  const query = useQuery(['designer', definitionId, version], async (signal): Promise<Loaded> => {
    const [document, descriptors, list] = await Promise.all([
      definitionsApi.get(definitionId, version, signal),
      activitiesApi.list(signal),
      definitionsApi.list(signal).catch(() => []),
    ]);
    return { document, descriptors, procedures: list.map((p) => ({ definitionId: p.definitionId, name: p.name })) };
  });
  const loaded = query.loading ? null : (query.data ?? null);
  const error = query.error;

  if (error) {
    return (
      <Result
        status={isApiError(error) && error.status === 404 ? '404' : 'error'}
        title={isApiError(error) && error.status === 404 ? '流程不存在' : '加载流程失败'}
        subTitle={errorMessage(error)}
        extra={<Link to="/designer">返回流程列表</Link>}
      />
    );
  }
  if (!loaded) {
    return (
      <div className="page-center">
        <Spin size="large" />
      </div>
    );
  }
  return (
    <ReactFlowProvider key={`${definitionId}:${version ?? 'latest'}`}>
      <DesignerEditor loaded={loaded} />
    </ReactFlowProvider>
  );
}

let internalClipboard: Clipboard | null = null;

/** The validator names ports as in the JSON (出口「Done」); show them as the canvas does (出口「完成」). */
export function readablePorts(message: string): string {
  return message.replace(
    /(出口|名为)「(Done|True|False|Default)」/g,
    (_, prefix: string, port: string) => `${prefix}「${portLabel(port)}」`,
  );
}

function hasTextSelection(): boolean {
  const selection = window.getSelection();
  return !!selection && !selection.isCollapsed && selection.toString().trim() !== '';
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    !!target.closest('.cm-editor, .ant-select, .ant-modal, .ant-drawer')
  );
}

function DesignerEditor({ loaded }: { loaded: Loaded }) {
  const { message, modal } = AntdApp.useApp();
  const navigate = useNavigate();
  const flow = useReactFlow();
  const descriptors: DescriptorIndex = useMemo(() => indexDescriptors(loaded.descriptors), [loaded.descriptors]);
  const [meta, setMeta] = useState(loaded.document.meta);
  const readOnly = !meta.isLatest;
  const initial = useMemo(
    () => fromDefinition(loaded.document.definition, descriptors),
    [loaded.document.definition, descriptors],
  );
  const designer = useDesignerDoc(initial);
  const { doc } = designer;
  const [saved, setSaved] = useState(() => JSON.stringify(toDefinition(initial)));
  const current = useMemo(() => toDefinition(doc), [doc]);
  const currentJson = useMemo(() => JSON.stringify(current), [current]);
  const dirty = !readOnly && currentJson !== saved;
  const [errors, setErrors] = useState<DefinitionValidationError[] | null>(null);
  const [validating, setValidating] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [simulationOpen, setSimulationOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [problemsOpen, setProblemsOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);

  // --- validation: as you edit (debounced), so problems show on the canvas before publishing ---
  const validationRun = useRef(0);
  const validate = useCallback(async (definition: WorkflowDefinition) => {
    const run = ++validationRun.current;
    setValidating(true);
    try {
      const report = await definitionsApi.validate(definition);
      const translated = report.errors.map((e) => ({ ...e, message: readablePorts(e.message) }));
      if (run === validationRun.current) setErrors(translated);
      return translated;
    } catch (e) {
      if (run === validationRun.current) setErrors([{ activityId: null, message: `校验失败：${errorMessage(e)}` }]);
      return null;
    } finally {
      if (run === validationRun.current) setValidating(false);
    }
  }, []);
  useEffect(() => {
    if (readOnly) return;
    // Keyed by the JSON, not the object: a new object with the same content (a selection) is not checked again.
    const timer = window.setTimeout(() => void validate(JSON.parse(currentJson) as typeof current), 700);
    return () => window.clearTimeout(timer);
  }, [currentJson, readOnly, validate]);

  // --- leaving with unsaved changes ---
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: '有未保存的修改',
      content: '离开后本次修改将丢失。确定离开吗？',
      okText: '离开',
      cancelText: '留下',
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker, modal]);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  // --- canvas events ---
  const onNodesChange = useCallback(
    (changes: NodeChange<ActivityFlowNode>[]) => {
      const relevant = changes.filter((c) => c.type !== 'remove' && c.type !== 'add' && c.type !== 'replace');
      if (relevant.length === 0 || (readOnly && relevant.some((c) => c.type === 'position'))) return;
      const moving = relevant.some((c) => c.type === 'position');
      const apply = (d: DesignDoc) => ({ ...d, nodes: applyNodeChanges(relevant, d.nodes) });
      if (moving) designer.changePending(apply);
      else designer.changeSilently(apply);
    },
    [designer, readOnly],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<ConnectionFlowEdge>[]) => {
      const relevant = changes.filter((c) => c.type === 'select');
      if (relevant.length) designer.changeSilently((d) => ({ ...d, edges: applyEdgeChanges(relevant, d.edges) }));
    },
    [designer],
  );
  const onConnect = useCallback(
    (c: FlowConnection) => {
      if (readOnly || !c.source || !c.target) return;
      const port = c.sourceHandle ?? 'Done';
      const problem = connectionProblem(designer.latest(), c.source, port, c.target);
      if (problem) {
        message.warning(problem);
        return;
      }
      designer.change((d) => connect(d, c.source, port, c.target));
    },
    [designer, message, readOnly],
  );
  const isValidConnection = useCallback(
    (c: FlowConnection | ConnectionFlowEdge) =>
      !readOnly &&
      !!c.source &&
      !!c.target &&
      connectionProblem(designer.latest(), c.source, c.sourceHandle ?? 'Done', c.target) === null,
    [designer, readOnly],
  );

  const addAt = useCallback(
    (type: string, position: { x: number; y: number }) => {
      let added = '';
      designer.change((d) => {
        const r = addActivity(d, type, position, descriptors);
        added = r.id;
        return r.doc;
      });
      return added;
    },
    [designer, descriptors],
  );
  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(ACTIVITY_DRAG_TYPE);
      if (!type || readOnly) return;
      const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addAt(type, { x: Math.round(p.x - 88), y: Math.round(p.y - 30) });
    },
    [addAt, flow, readOnly],
  );
  const addAtCentre = useCallback(
    (type: string) => {
      const box = wrapper.current?.getBoundingClientRect();
      const p = box
        ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
        : { x: 0, y: 0 };
      addAt(type, { x: Math.round(p.x - 88), y: Math.round(p.y - 39) });
    },
    [addAt, flow],
  );

  // --- keyboard: Delete, Ctrl+Z / Ctrl+Y, Ctrl+C / Ctrl+V, Ctrl+S ---
  const save = useRef<() => Promise<unknown>>(async () => {});
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        if (!readOnly) void save.current();
        return;
      }
      if (mod && key === 'c') {
        // Copy works on old versions too. The system clipboard gets the JSON as well, for another tab or a file.
        const clip = copySelection(designer.latest());
        if (!clip || hasTextSelection()) return;
        e.preventDefault();
        internalClipboard = clip;
        void navigator.clipboard?.writeText(JSON.stringify(clip)).catch(() => {});
        message.success(`已复制 ${clip.nodes.length} 个节点`);
        return;
      }
      if (readOnly) return;
      if (mod && key === 'v') {
        e.preventDefault();
        const pasteClip = (clip: Clipboard | null) => {
          if (!clip) return;
          internalClipboard = clip;
          designer.change((d) => paste(d, clip, descriptors));
        };
        if (internalClipboard) pasteClip(internalClipboard);
        else
          void navigator.clipboard
            ?.readText()
            .then((text) => pasteClip(parseClipboard(text)))
            .catch(() => {});
        return;
      }
      if (mod && key === 'z' && !e.shiftKey) {
        e.preventDefault();
        designer.undo();
      } else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) {
        e.preventDefault();
        designer.redo();
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault();
        designer.change((d) => deleteSelection(d));
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [designer, descriptors, message, readOnly]);

  // --- save, publish, import, export ---
  /** Asks before saving over what another administrator saved or published since this page loaded it. */
  const mayOverwrite = useCallback(
    async (seen: DefinitionVersion): Promise<boolean> => {
      const latest = await changedSince(seen);
      if (!latest) return true;
      return new Promise((resolve) =>
        modal.confirm({
          title: '流程已被他人修改',
          content: `第 ${latest.version} 版已于 ${formatDateTime(latest.updatedAt)}${latest.isPublished ? '发布' : '保存'}。继续保存将以当前画布为准覆盖（历史版本可在“版本”中查看）。`,
          okText: '仍然保存',
          cancelText: '取消',
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        }),
      );
    },
    [modal],
  );

  /**
   * Runs the procedure's saved 模拟运行 scenarios on the draft about to be published (decision 045) and, when one gives
   * other figures than when it was saved, lists what changed and asks before publishing.
   */
  const mayPublishOverScenarios = useCallback(
    async (definitionId: string): Promise<boolean> => {
      const changed = (await simulationApi.check(definitionId)).filter((c) => c.changed);
      if (changed.length === 0) return true;
      return new Promise((resolve) =>
        modal.confirm({
          title: `${changed.length} 个已保存的模拟场景结果有变化`,
          width: 640,
          content: (
            <div aria-label="模拟场景的变化">
              {changed.map((c) => (
                <div key={c.id} style={{ marginBottom: 8 }}>
                  <strong>{c.name}</strong>
                  {c.error ? (
                    <div>无法在草稿上运行：{c.error}</div>
                  ) : (
                    <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                      {c.differences.slice(0, 8).map((d) => (
                        <li key={d}>{d}</li>
                      ))}
                      {c.differences.length > 8 && <li>……另有 {c.differences.length - 8} 处变化</li>}
                    </ul>
                  )}
                </div>
              ))}
              <div>可在「模拟运行」中查看详情并接受新结果。</div>
            </div>
          ),
          okText: '仍然发布',
          cancelText: '取消',
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        }),
      );
    },
    [modal],
  );

  const saveDraft = useCallback(async () => {
    const definition = toDefinition(designer.latest());
    setBusy('save');
    try {
      if (!(await mayOverwrite(meta))) return undefined;
      const m = await definitionsApi.saveDraft(definition);
      setMeta(m);
      setSaved(JSON.stringify(definition));
      message.success(`草稿已保存（第 ${m.version} 版）`);
      return m;
    } catch (e) {
      message.error(`保存失败：${errorMessage(e)}`);
      throw e;
    } finally {
      setBusy(null);
    }
  }, [designer, message, mayOverwrite, meta]);
  useLayoutEffect(() => {
    save.current = saveDraft;
  }, [saveDraft]);

  const publish = useCallback(async () => {
    const definition = toDefinition(designer.latest());
    setBusy('publish');
    try {
      const problems = await validate(definition);
      if (problems === null) return;
      if (problems.length > 0) {
        message.error(`有 ${problems.length} 个问题需要处理后才能发布`);
        setProblemsOpen(true);
        return;
      }
      if (JSON.stringify(definition) !== saved || meta.isPublished) {
        if (meta.isPublished && JSON.stringify(definition) === saved) {
          message.info(`第 ${meta.version} 版已发布，没有新的修改`);
          return;
        }
        if (!(await mayOverwrite(meta))) return;
        const m = await definitionsApi.saveDraft(definition);
        setMeta(m);
        setSaved(JSON.stringify(definition));
      }
      if (!(await mayPublishOverScenarios(definition.definitionId))) return;
      const published = await definitionsApi.publish(definition.definitionId);
      setMeta(published);
      message.success(`已发布第 ${published.version} 版，新发起的事项将使用此版本`);
    } catch (e) {
      if (isApiError(e) && e.hasFieldErrors) {
        setErrors(
          Object.entries(e.fieldErrors).flatMap(([key, msgs]) =>
            msgs.map((m) => ({ activityId: key === 'definition' ? null : key, message: readablePorts(m) })),
          ),
        );
        setProblemsOpen(true);
      }
      message.error(`发布失败：${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  }, [designer, message, meta, saved, validate, mayOverwrite, mayPublishOverScenarios]);

  const importFile = useCallback(async () => {
    const json = await readJsonFile();
    if (!json) return;
    const imported = json as WorkflowDefinition;
    if (!imported || typeof imported !== 'object' || !imported.root || !Array.isArray(imported.root.activities)) {
      message.error('文件不是流程定义 JSON（缺少 root.activities）');
      return;
    }
    const next = fromDefinition({ ...imported, definitionId: current.definitionId }, descriptors);
    designer.change(() => next);
    message.success('已导入到画布，保存草稿后生效；可用 Ctrl+Z 撤销');
  }, [current.definitionId, descriptors, designer, message]);

  // --- selection and property panel ---
  const selectedNodes = doc.nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const errorsByNode = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const e of errors ?? [])
      if (e.activityId) map.set(e.activityId, [...(map.get(e.activityId) ?? []), e.message]);
    return map;
  }, [errors]);
  const renderedNodes = useMemo(() => withValidation(doc.nodes, errors ?? []), [doc.nodes, errors]);
  const { directory } = useDirectory(true);
  const renderedEdges = useMemo(
    () =>
      labelBranches(doc.nodes, doc.edges, conditionFields(doc.definition), directoryNames(directory)).map((e) => ({
        ...e,
        type: 'connection',
        markerEnd: { type: MarkerType.ArrowClosed },
        interactionWidth: 16,
      })),
    [doc.nodes, doc.edges, doc.definition, directory],
  );

  const selectNode = useCallback(
    (id: string) => {
      designer.changeSilently((d) => ({
        ...d,
        nodes: d.nodes.map((n) => ({ ...n, selected: n.id === id })),
        edges: d.edges.map((e) => ({ ...e, selected: false })),
      }));
      const node = flow.getNode(id);
      if (node)
        void flow.setCenter(node.position.x + 88, node.position.y + 39, {
          zoom: Math.max(flow.getZoom(), 0.9),
          duration: 300,
        });
    },
    [designer, flow],
  );

  const general = (errors ?? []).filter((e) => !e.activityId || !doc.nodes.some((n) => n.id === e.activityId));
  const status = readOnly ? (
    <Tag>
      只读 · 第 {meta.version} 版{meta.isPublished ? '（已发布）' : ''}
    </Tag>
  ) : meta.isPublished && !dirty ? (
    <Tag color="green">第 {meta.version} 版 已发布</Tag>
  ) : (
    <Tooltip title={meta.isPublished ? '保存后成为新的草稿版本，发布后新事项才使用它' : undefined}>
      <Tag color="orange">
        {meta.isPublished ? `第 ${meta.version} 版已发布 · 修改中` : `第 ${meta.version} 版 草稿`}
      </Tag>
    </Tooltip>
  );

  return (
    <DescriptorsContext.Provider value={descriptors}>
      <div className="designer-editor">
        <div className="designer-toolbar" role="toolbar" aria-label="流程设计工具栏">
          <Space size={6} wrap>
            <Tooltip title="返回流程列表">
              <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/designer')} aria-label="返回流程列表" />
            </Tooltip>
            <Typography.Title level={5} className="designer-toolbar__title" ellipsis>
              {current.name}
            </Typography.Title>
            {status}
            {dirty && <Badge status="processing" text="未保存" />}
          </Space>
          <Space size={6} wrap>
            <Tooltip title="撤销 (Ctrl+Z)">
              <Button
                icon={<UndoOutlined />}
                aria-label="撤销"
                disabled={readOnly || !designer.canUndo}
                onClick={designer.undo}
              />
            </Tooltip>
            <Tooltip title="重做 (Ctrl+Y)">
              <Button
                icon={<RedoOutlined />}
                aria-label="重做"
                disabled={readOnly || !designer.canRedo}
                onClick={designer.redo}
              />
            </Tooltip>
            <Tooltip title="自动布局">
              <Button
                icon={<ApartmentOutlined />}
                aria-label="自动布局"
                disabled={readOnly}
                onClick={() => {
                  designer.change(autoLayout);
                  window.setTimeout(() => void flow.fitView({ padding: 0.15, duration: 300 }), 50);
                }}
              />
            </Tooltip>
            <Tooltip title="流程设置（名称、说明、选项）">
              <Button icon={<SettingOutlined />} aria-label="流程设置" onClick={() => setSettingsOpen(true)} />
            </Tooltip>
            <Tooltip title="版本历史">
              <Button icon={<HistoryOutlined />} aria-label="版本历史" onClick={() => setVersionsOpen(true)} />
            </Tooltip>
            <Tooltip title="按设定的办理情形在副本上逐日运行，查看时限、催办和扣分（不写入真实数据）">
              <Button icon={<ExperimentOutlined />} onClick={() => setSimulationOpen(true)}>
                模拟运行
              </Button>
            </Tooltip>
            <Tooltip title="导入 JSON 到画布">
              <Button
                icon={<UploadOutlined />}
                aria-label="导入"
                disabled={readOnly}
                onClick={() => void importFile()}
              />
            </Tooltip>
            <Tooltip title="导出 JSON">
              <Button
                icon={<DownloadOutlined />}
                aria-label="导出"
                onClick={() => downloadJson(`${current.definitionId}.v${meta.version}.json`, current)}
              />
            </Tooltip>
            <Tooltip title="导出为 Elsa 3 工作流 JSON">
              <Button
                aria-label="导出 Elsa"
                href={`${definitionsApi.exportUrl(current.definitionId, meta.version)}&format=elsa`}
              >
                Elsa
              </Button>
            </Tooltip>
            {readOnly ? (
              <Button type="primary" onClick={() => navigate(`/designer/${encodeURIComponent(current.definitionId)}`)}>
                打开最新版本
              </Button>
            ) : (
              <>
                <Button
                  icon={<SaveOutlined />}
                  loading={busy === 'save'}
                  disabled={!dirty || busy !== null}
                  onClick={() => void saveDraft().catch(() => {})}
                >
                  保存草稿
                </Button>
                <Button
                  type="primary"
                  icon={<CloudUploadOutlined />}
                  loading={busy === 'publish'}
                  disabled={busy !== null}
                  onClick={() => void publish()}
                >
                  发布
                </Button>
              </>
            )}
          </Space>
        </div>
        <div className="designer-body">
          {!readOnly && <Palette descriptors={loaded.descriptors} onAdd={addAtCentre} />}
          <div className="designer-canvas-column">
            <div
              className="designer-canvas"
              ref={wrapper}
              onDragOver={(e) => {
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
              }}
              onDrop={onDrop}
              data-testid="designer-canvas"
            >
              <ReactFlow<ActivityFlowNode, ConnectionFlowEdge>
                nodes={renderedNodes}
                edges={renderedEdges}
                nodeTypes={nodeTypes}
                edgeTypes={edgeTypes}
                onNodesChange={onNodesChange}
                onEdgesChange={onEdgesChange}
                onNodeDragStop={() => designer.commitPending()}
                onConnect={onConnect}
                isValidConnection={isValidConnection}
                nodesDraggable={!readOnly}
                nodesConnectable={!readOnly}
                deleteKeyCode={null}
                selectionKeyCode="Shift"
                multiSelectionKeyCode={['Meta', 'Control']}
                connectionRadius={20}
                connectionLineType={ConnectionLineType.SmoothStep}
                minZoom={0.2}
                maxZoom={2}
                proOptions={{ hideAttribution: true }}
                snapToGrid
                snapGrid={[8, 8]}
                ariaLabelConfig={FLOW_ARIA_LABELS}
              >
                <Background gap={16} size={1} />
                <Controls />
                <FitViewOnLoad />
                <MiniMap pannable zoomable style={{ width: 140, height: 96 }} />
              </ReactFlow>
            </div>
            <ValidationBar
              errors={errors}
              general={general}
              validating={validating}
              readOnly={readOnly}
              nodes={doc.nodes}
              onSelect={selectNode}
              open={problemsOpen}
              onOpenChange={setProblemsOpen}
            />
          </div>
          <aside className="designer-properties" aria-label="属性">
            {selected ? (
              <PropertyPanel
                key={selected.id}
                activity={selected.data.activity}
                definition={current}
                descriptors={descriptors}
                errors={errorsByNode.get(selected.id)}
                readOnly={readOnly}
                procedures={loaded.procedures}
                onChange={(activity, change) =>
                  designer.change(
                    (d) => updateActivity(d, selected.id, activity, descriptors, change?.portRenames),
                    change?.mergeKey,
                  )
                }
                onRename={(id) => {
                  const problem = activityIdProblem(designer.latest(), selected.id, id);
                  if (!problem) designer.change((d) => renameActivity(d, selected.id, id));
                  return problem;
                }}
              />
            ) : (
              <div className="designer-properties__empty">
                <Typography.Title level={5}>{current.name}</Typography.Title>
                <Typography.Paragraph type="secondary">{current.description || '（无说明）'}</Typography.Paragraph>
                <Typography.Paragraph type="secondary">
                  {selectedNodes.length > 1 ? `已选择 ${selectedNodes.length} 个节点。` : '点击节点编辑其属性。'}
                  从左侧拖入节点；从节点底部的出口拖线到下一个节点。Delete 删除，Ctrl+C / Ctrl+V 复制粘贴，Ctrl+Z /
                  Ctrl+Y 撤销重做，Ctrl+S 保存。
                </Typography.Paragraph>
                <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)}>
                  流程名称、说明与选项
                </Button>
              </div>
            )}
          </aside>
        </div>
      </div>
      {simulationOpen && (
        <SimulationDrawer
          open
          definition={current}
          version={meta.version}
          isDraft={!meta.isPublished}
          dirty={dirty}
          onClose={() => setSimulationOpen(false)}
        />
      )}
      <VersionsDrawer
        open={versionsOpen}
        definitionId={current.definitionId}
        currentVersion={meta.version}
        onClose={() => setVersionsOpen(false)}
      />
      <ProcedureSettings
        open={settingsOpen}
        readOnly={readOnly}
        definition={current}
        onClose={() => setSettingsOpen(false)}
        onChange={(patch) => designer.change((d) => ({ ...d, definition: { ...d.definition, ...patch } }), 'settings')}
      />
    </DescriptorsContext.Provider>
  );
}

/**
 * One line under the canvas with the number of problems; opens into a list (over the canvas, so the canvas
 * keeps its size) where a click selects the node concerned.
 */
function ValidationBar({
  errors,
  general,
  validating,
  readOnly,
  nodes,
  onSelect,
  open,
  onOpenChange,
}: {
  errors: DefinitionValidationError[] | null;
  general: DefinitionValidationError[];
  validating: boolean;
  readOnly: boolean;
  nodes: ActivityFlowNode[];
  onSelect: (id: string) => void;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const setOpen = onOpenChange;
  if (readOnly) return null;
  const count = errors?.length ?? 0;
  return (
    <section
      className={`designer-validation${count ? ' designer-validation--errors' : ''}`}
      aria-label="校验结果"
      data-testid="validation"
    >
      <button type="button" className="designer-validation__head" onClick={() => setOpen(!open)} aria-expanded={open}>
        {errors === null || (validating && count === 0) ? (
          <span>{validating ? '正在校验…' : '尚未校验'}</span>
        ) : count === 0 ? (
          <span className="designer-validation__ok">
            <CheckCircleOutlined /> 校验通过，可以发布
          </span>
        ) : (
          <span>
            <Badge count={count} size="small" /> 个问题需处理后才能发布{validating ? '（正在重新校验…）' : ''}
          </span>
        )}
        {count > 0 && <span className="designer-validation__toggle">{open ? '收起' : '查看问题'}</span>}
      </button>
      {open && count > 0 && (
        <ul className="designer-validation__list">
          {general.map((e, i) => (
            <li key={`g${i}`}>
              <Alert type="error" banner showIcon={false} message={e.message} />
            </li>
          ))}
          {(errors ?? [])
            .filter((e) => e.activityId && nodes.some((n) => n.id === e.activityId))
            .map((e, i) => (
              <li key={i}>
                <button type="button" className="designer-validation__item" onClick={() => onSelect(e.activityId!)}>
                  {e.message}
                </button>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
