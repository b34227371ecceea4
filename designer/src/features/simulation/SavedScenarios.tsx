import { useState } from 'react';
import { App as AntdApp, Button, Card, Form, Input, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { ApiError, errorMessage } from '../../api/client';
import type { SavedScenarioView, ScenarioCheck, SimulationScenario } from '../../api/types';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { simulationApi } from './simulationApi';

interface Props {
  definitionId: string;
  /** The scenario the drawer's form holds now; null while it has no unit. */
  current: SimulationScenario | null;
  onLoad: (scenario: SimulationScenario) => void;
}

/**
 * Scenarios kept with the procedure (decision 045): the form's scenario saved under a name with the figures the draft
 * gives on it, loaded back, and checked — each run again on the latest draft, its changed figures listed, and the new
 * result accepted with one click. Publishing runs the same check and asks before publishing a draft that changes one.
 */
export function SavedScenarios({ definitionId, current, onLoad }: Props) {
  const { message } = AntdApp.useApp();
  const saved = useQuery(['saved-scenarios', definitionId], (signal) => simulationApi.saved(definitionId, signal));
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [checks, setChecks] = useState<Record<string, ScenarioCheck>>({});

  const act = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    try {
      await action();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    if (!current) return;
    setBusy('save');
    setNameError(null);
    try {
      const view = await simulationApi.save(definitionId, name, current);
      message.success(`已保存场景「${view.name}」，记下了第 ${view.procedureVersion} 版的模拟结果`);
      setName('');
      saved.reload();
    } catch (e) {
      const field = e instanceof ApiError ? e.fieldErrors['name']?.[0] : undefined;
      if (field) setNameError(field);
      else message.error(`保存失败：${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const checkAll = () =>
    act('check', async () => {
      const answers = await simulationApi.check(definitionId);
      setChecks(Object.fromEntries(answers.map((c) => [c.id, c])));
      const changed = answers.filter((c) => c.changed).length;
      if (changed === 0) message.success('各场景的模拟结果与保存时一致');
      else message.warning(`${changed} 个场景的模拟结果有变化`);
    });

  const accept = (scenario: SavedScenarioView) =>
    act(scenario.id, async () => {
      await simulationApi.accept(definitionId, scenario);
      setChecks(({ [scenario.id]: _, ...rest }) => rest);
      message.success(`已接受「${scenario.name}」的新结果`);
      saved.reload();
    });

  const remove = (scenario: SavedScenarioView) =>
    act(scenario.id, async () => {
      await simulationApi.remove(definitionId, scenario.id);
      saved.reload();
    });

  const list = saved.data ?? [];
  return (
    <Card
      size="small"
      title="已保存的场景"
      extra={
        <Button size="small" disabled={list.length === 0} loading={busy === 'check'} onClick={() => void checkAll()}>
          在最新草稿上检查全部
        </Button>
      }
    >
      <List<SavedScenarioView>
        size="small"
        loading={saved.loading}
        dataSource={list}
        locale={{ emptyText: '还没有保存的场景：运行模拟后，可把当前情形保存下来，以后修改流程时对比结果' }}
        renderItem={(s) => {
          const check = checks[s.id];
          return (
            <List.Item
              aria-label={`场景：${s.name}`}
              actions={[
                <Button key="load" size="small" type="link" onClick={() => onLoad(s.scenario)}>
                  载入
                </Button>,
                ...(check?.changed && !check.error
                  ? [
                      <Button key="accept" size="small" loading={busy === s.id} onClick={() => void accept(s)}>
                        接受新结果
                      </Button>,
                    ]
                  : []),
                <Popconfirm key="remove" title={`删除场景「${s.name}」？`} onConfirm={() => void remove(s)}>
                  <Button size="small" type="link" danger>
                    删除
                  </Button>
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space>
                    {s.name}
                    {check &&
                      (check.changed ? <Tag color="orange">结果有变化</Tag> : <Tag color="green">结果未变</Tag>)}
                  </Space>
                }
                description={
                  <>
                    <Typography.Text type="secondary">
                      按第 {s.procedureVersion} 版的结果保存于 {formatDateTime(s.savedAt)}
                      {s.savedBy ? `（${s.savedBy}）` : ''}
                    </Typography.Text>
                    {check?.error && <div>无法在最新草稿上运行：{check.error}</div>}
                    {check && check.differences.length > 0 && (
                      <ul style={{ margin: '4px 0 0', paddingLeft: 18 }} aria-label={`${s.name}的变化`}>
                        {check.differences.map((d) => (
                          <li key={d}>{d}</li>
                        ))}
                      </ul>
                    )}
                  </>
                }
              />
            </List.Item>
          );
        }}
      />
      <Form layout="inline" style={{ marginTop: 8 }} onFinish={() => void save()}>
        <Form.Item
          label="场景名称"
          validateStatus={nameError ? 'error' : undefined}
          help={nameError ?? undefined}
          style={{ minWidth: 320 }}
        >
          <Input
            value={name}
            maxLength={100}
            aria-label="场景名称"
            placeholder="如：法制处逾期 4 个工作日"
            onChange={(e) => setName(e.target.value)}
          />
        </Form.Item>
        <Button htmlType="submit" disabled={!current || name.trim() === ''} loading={busy === 'save'}>
          保存当前情形为场景
        </Button>
      </Form>
    </Card>
  );
}
