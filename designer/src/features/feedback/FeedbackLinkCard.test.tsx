import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntdApp } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../../test/fetchMock';
import { FeedbackLinkCard } from './FeedbackLinkCard';

const taskId = '0190a000-0000-7000-8000-000000000001';

describe('在线征询链接', () => {
  it('makes a link for a step that takes answers from outside', async () => {
    const fetchFn = mockFetch({
      'GET /api/feedback-links': { body: { taskId, available: true, reason: null } },
      'POST /api/feedback-links': {
        status: 201,
        body: { taskId, token: 'tok', path: '/feedback/tok', expiresAt: '2026-04-17T01:00:00Z' },
      },
    });
    const user = userEvent.setup({ delay: null });
    render(
      <AntdApp>
        <FeedbackLinkCard taskId={taskId} />
      </AntdApp>,
    );
    await user.click(await screen.findByRole('button', { name: /生成征询链接/ }));
    expect(await screen.findByLabelText('征询链接')).toHaveValue(`${window.location.origin}/feedback/tok`);
    const post = fetchFn.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(String(post[1]?.body))).toEqual({ taskId });
  });

  it('shows nothing where no link can be made', async () => {
    const fetchFn = mockFetch({
      'GET /api/feedback-links': { body: { taskId, available: false, reason: '该环节不支持在线征询' } },
    });
    const { container } = render(<FeedbackLinkCard taskId={taskId} />);
    await vi.waitFor(() => expect(fetchFn).toHaveBeenCalled());
    expect(container).toBeEmptyDOMElement();
  });
});
