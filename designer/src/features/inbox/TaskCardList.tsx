import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { TaskSummary } from '../../api/types';
import { formatDateTime, orEmpty } from '../../shared/format';
import { LightIndicator } from '../../shared/deadline/LightIndicator';
import { ProvisionalMark } from '../../shared/deadline/ProvisionalMark';
import { Pagination, type PaginationProps } from '../../shared/plain/Pagination';
import { Spinner } from '../../shared/plain/Spinner';

interface Props {
  tasks: TaskSummary[];
  loading: boolean;
  empty: ReactNode;
  pagination: PaginationProps;
}

/** Phone-width rendering of the inbox: one card per task (plain, the first screen has no antd: decision 040). */
export function TaskCardList({ tasks, loading, empty, pagination }: Props) {
  return (
    <div className="task-card-list" data-testid="inbox-list" aria-busy={loading}>
      {tasks.length === 0 && !loading ? (
        empty
      ) : (
        <ul className="task-cards" aria-label="待办卡片列表">
          {tasks.map((task) => (
            <li key={task.id} className="task-card">
              <Link to={`/tasks/${task.id}`} className="task-card-link">
                <article className="task-card-body" aria-label={task.itemTitle}>
                  <header className="task-card-header">
                    <span className="task-title">{task.itemTitle}</span>
                    <LightIndicator light={task.light} />
                  </header>
                  <dl className="task-card-fields">
                    <div>
                      <dt>编号</dt>
                      <dd>{orEmpty(task.itemNumber)}</dd>
                    </div>
                    <div>
                      <dt>环节</dt>
                      <dd>{task.activityName}</dd>
                    </div>
                    <div>
                      <dt>承办单位</dt>
                      <dd>{orEmpty(task.unitName)}</dd>
                    </div>
                    {task.status === 'open' ? (
                      <div>
                        <dt>期限</dt>
                        <dd>
                          {formatDateTime(task.dueAt)} <ProvisionalMark provisional={task.provisional} />
                        </dd>
                      </div>
                    ) : (
                      <div>
                        <dt>办理结果</dt>
                        <dd>{orEmpty(task.outcome)}</dd>
                      </div>
                    )}
                    <div>
                      <dt>到达时间</dt>
                      <dd>{formatDateTime(task.createdAt)}</dd>
                    </div>
                  </dl>
                </article>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {loading && (
        <div className="inbox-loading">
          <Spinner />
        </div>
      )}
      {pagination.total > 0 && <Pagination {...pagination} />}
    </div>
  );
}
