import { Alert, Form, Spin, Switch, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import type { JsonObject, JsonValue } from '../../../shared/flow';
import { useQuery } from '../../../shared/useQuery';
import { toDrafts, toRungs, validateLadder, type RungDraft, type RungField } from '../../settings/ladderModel';
import { LadderRungsEditor } from '../../settings/LadderRungsEditor';
import { settingsApi, type LadderRung } from '../../settings/settingsApi';
import { withPart } from './options';

/**
 * 催办阶梯 of this procedure: a switch — this procedure's own ladder replaces the organization's (督查设置 → 催办阶梯) —
 * and, when on, the same rung editor as 督查设置, starting from a copy of the organization's ladder.
 */
export function ProcedureLadder({
  options,
  onChange,
  disabled,
}: {
  options: JsonObject | null | undefined;
  onChange: (next: JsonObject | null) => void;
  disabled?: boolean;
}) {
  const org = useQuery(['ladder'], (signal) => settingsApi.ladder(signal));
  const own = Array.isArray(options?.ladder) ? (options.ladder as unknown as LadderRung[]) : null;
  const ownText = own ? JSON.stringify(own) : null;
  const [drafts, setDraftsState] = useState<RungDraft[]>(() => (own ? toDrafts(own) : []));
  const [shown, setShown] = useState(ownText);
  // The ladder changed outside this editor (undo, import): its rungs become the drafts.
  if (ownText !== shown) {
    setShown(ownText);
    if (ownText !== JSON.stringify(toRungs(drafts))) setDraftsState(own ? toDrafts(own) : []);
  }

  const write = (next: RungDraft[]) => {
    setDraftsState(next);
    const rungs = toRungs(next);
    setShown(JSON.stringify(rungs));
    onChange(withPart(options, 'ladder', rungs as unknown as JsonValue));
  };

  if (org.error && !org.data)
    return <Alert type="error" showIcon message={`催办阶梯加载失败：${errorMessage(org.error)}`} />;
  if (!org.data) return <Spin />;
  const settings = org.data;
  const errors = validateLadder(drafts, settings.actors);
  return (
    <div data-testid="procedure-ladder">
      <Form.Item
        label="本流程使用自己的催办阶梯"
        help={
          own
            ? '本流程的事项按下面的阶梯催办，不再使用本单位的催办阶梯'
            : '关闭时按本单位的催办阶梯（督查设置 → 催办阶梯）催办'
        }
      >
        <Switch
          aria-label="本流程使用自己的催办阶梯"
          checked={!!own}
          disabled={disabled}
          onChange={(on) => {
            if (on) write(toDrafts(settings.rungs));
            else {
              setDraftsState([]);
              setShown(null);
              onChange(withPart(options, 'ladder', undefined));
            }
          }}
        />
      </Form.Item>
      {own && (
        <>
          <Typography.Paragraph type="secondary">
            逾期事项按顺序逐级升级；手动发起的一级由办理角色在事项页发起。
          </Typography.Paragraph>
          <LadderRungsEditor
            drafts={drafts}
            setDrafts={(update) => write(update(drafts))}
            errors={errors}
            update={(uid: string, patch: Partial<RungDraft>, _field?: RungField) =>
              write(drafts.map((d) => (d.uid === uid ? { ...d, ...patch } : d)))
            }
            actors={settings.actors}
            people={settings.people ?? []}
            recordOptions={[
              { value: '', label: '不登记' },
              ...Object.entries(settings.recordForms)
                .filter(([key]) => key !== 'reply')
                .map(([key, form]) => ({ value: key, label: form.name })),
            ]}
            scoreOptions={[{ value: '', label: '不计入考核' }, ...settings.scoreEvents]}
            editable={!disabled}
          />
        </>
      )}
    </div>
  );
}
