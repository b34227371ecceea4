import { Alert, App as AntdApp, Button, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage, isApiError } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import {
  hasErrors,
  placeServerProblems,
  sameLadder,
  toDrafts,
  toRungs,
  validateLadder,
  type LadderErrors,
  type RungDraft,
  type RungField,
} from './ladderModel';
import { LadderRungsEditor } from './LadderRungsEditor';
import { settingsApi, type LadderSettings } from './settingsApi';

const noErrors: LadderErrors = { rungs: {}, general: [] };

/** 催办阶梯: the rungs in order — name, trigger, who acts, what is recorded, what the unit is told, the score event. */
export function LadderTab({ editable }: { editable: boolean }) {
  const { message } = AntdApp.useApp();
  const [settings, setSettings] = useState<LadderSettings | null>(null);
  const [saved, setSaved] = useState<RungDraft[]>([]);
  const [drafts, setDrafts] = useState<RungDraft[]>([]);
  const [errors, setErrors] = useState<LadderErrors>(noErrors);
  const [busy, setBusy] = useState<'save' | 'reset' | null>(null);

  function show(next: LadderSettings) {
    const d = toDrafts(next.rungs);
    setSettings(next);
    setSaved(d);
    setDrafts(d);
    setErrors(noErrors);
  }

  const loaded = useQuery(['ladder'], (signal) => settingsApi.ladder(signal));
  const loadError = loaded.error;
  // The ladder as loaded becomes the drafts once (React's "adjust state when data changes", not an effect).
  const [loadedShown, setLoadedShown] = useState<LadderSettings | undefined>();
  if (loaded.data !== loadedShown) {
    setLoadedShown(loaded.data);
    if (loaded.data) show(loaded.data);
  }

  if (loadError && !settings)
    return <Alert type="error" showIcon message={`催办阶梯加载失败：${errorMessage(loadError)}`} />;
  if (!settings) return <Spin />;

  const actors = settings.actors;
  const dirty = !sameLadder(drafts, saved);

  function update(uid: string, patch: Partial<RungDraft>, field?: RungField) {
    setDrafts((list) => list.map((d) => (d.uid === uid ? { ...d, ...patch } : d)));
    if (field || patch.record !== undefined || patch.hasNotice !== undefined || patch.scoreEvent !== undefined) {
      setErrors((current) => {
        const mine = { ...(current.rungs[uid] ?? {}) };
        if (field) delete mine[field];
        delete mine.effect;
        return { ...current, rungs: { ...current.rungs, [uid]: mine } };
      });
    }
  }

  async function save() {
    const found = validateLadder(drafts, actors);
    setErrors(found);
    if (hasErrors(found)) {
      message.error('请检查标出的内容');
      return;
    }
    setBusy('save');
    try {
      show(await settingsApi.saveLadder(toRungs(drafts)));
      message.success('催办阶梯已保存');
    } catch (e) {
      if (isApiError(e) && e.hasFieldErrors)
        setErrors(placeServerProblems(drafts, Object.values(e.fieldErrors).flat()));
      else setErrors({ rungs: {}, general: [errorMessage(e)] });
    } finally {
      setBusy(null);
    }
  }

  async function reset() {
    setBusy('reset');
    try {
      show(await settingsApi.saveLadder(null));
      message.success('已恢复默认催办阶梯');
    } catch (e) {
      setErrors({ rungs: {}, general: [errorMessage(e)] });
    } finally {
      setBusy(null);
    }
  }

  const recordOptions = [
    { value: '', label: '不登记' },
    ...Object.entries(settings.recordForms)
      .filter(([key]) => key !== 'reply')
      .map(([key, form]) => ({ value: key, label: form.name })),
  ];
  const scoreOptions = [{ value: '', label: '不计入考核' }, ...settings.scoreEvents];

  return (
    <div className="ladder-tab" data-testid="ladder-tab">
      <div className="settings-toolbar">
        <Space wrap>
          {settings.isDefault ? <Tag>系统默认：县级督查督办工作方案</Tag> : <Tag color="blue">本单位自定义</Tag>}
          <Typography.Text type="secondary">
            逾期事项按顺序逐级升级；手动发起的一级须由办理角色在事项页发起后，才继续升级。
          </Typography.Text>
        </Space>
        {editable && (
          <Space wrap>
            <Popconfirm
              title="恢复默认催办阶梯？"
              description="本单位自定义的阶梯将被清除，已发生的催办记录不受影响。"
              okText="恢复默认"
              cancelText="取消"
              onConfirm={reset}
              disabled={settings.isDefault}
            >
              <Button disabled={settings.isDefault || busy !== null} loading={busy === 'reset'}>
                恢复默认
              </Button>
            </Popconfirm>
            <Button disabled={!dirty || busy !== null} onClick={() => show(settings)}>
              放弃修改
            </Button>
            <Button type="primary" onClick={save} loading={busy === 'save'} disabled={busy !== null}>
              保存
            </Button>
          </Space>
        )}
      </div>
      {!editable && <Alert className="page-alert" type="info" showIcon message="催办阶梯由管理员设置，您可以查看。" />}
      {errors.general.length > 0 && (
        <Alert className="page-alert" type="error" showIcon role="alert" message={errors.general.join('；')} />
      )}

      <LadderRungsEditor
        drafts={drafts}
        setDrafts={setDrafts}
        errors={errors}
        update={update}
        actors={actors}
        people={settings.people ?? []}
        recordOptions={recordOptions}
        scoreOptions={scoreOptions}
        editable={editable}
        busy={busy !== null}
      />
    </div>
  );
}
