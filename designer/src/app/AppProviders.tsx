import '@ant-design/v5-patch-for-react-19';
import { App as AntdApp, ConfigProvider, theme as antdTheme } from 'antd';
// ESM build of the locale: the CJS 'antd/locale/zh_CN' default-imports as
// { default: … } under Vite 8's Node-style CJS interop and antd falls back to English.
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { AntdPresent } from './antdPresence';

dayjs.locale('zh-cn');

/** Chinese UI fonts first so Windows/macOS/Linux desktops pick a CJK face. */
const fontFamily = [
  '-apple-system',
  'BlinkMacSystemFont',
  "'Segoe UI'",
  "'PingFang SC'",
  "'Hiragino Sans GB'",
  "'Microsoft YaHei'",
  "'Noto Sans CJK SC'",
  "'Source Han Sans SC'",
  "'WenQuanYi Micro Hei'",
  "'Helvetica Neue'",
  'Arial',
  'sans-serif',
].join(', ');

export const appTheme = {
  algorithm: antdTheme.defaultAlgorithm,
  token: {
    colorPrimary: '#1a5fb4',
    borderRadius: 6,
    fontFamily,
  },
};

/**
 * antd configuration shared by the app and the unit tests. The app loads it lazily (WithAntd): the shell and the inbox
 * are drawn without antd (docs/decisions/040, addendum).
 */
export function AppProviders({ children, motion = true }: { children: ReactNode; motion?: boolean }) {
  const theme = motion ? appTheme : { ...appTheme, token: { ...appTheme.token, motion: false } };
  return (
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntdApp>
        <AntdPresent.Provider value>{children}</AntdPresent.Provider>
      </AntdApp>
    </ConfigProvider>
  );
}
