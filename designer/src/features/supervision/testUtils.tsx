import { StyleProvider } from '@ant-design/cssinjs';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { AppProviders } from '../../app/AppProviders';

/** Renders a panel as the app does (zh-CN, no motion), with antd's styles kept in memory for speed. */
export function renderWithApp(ui: ReactElement) {
  return render(
    <StyleProvider mock="server">
      <AppProviders motion={false}>{ui}</AppProviders>
    </StyleProvider>,
  );
}
