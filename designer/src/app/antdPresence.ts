import { createContext } from 'react';

/** True inside AppProviders: antd's ConfigProvider and App are there, so WithAntd has nothing to load. */
export const AntdPresent = createContext(false);
