export { FormRenderer, type FormRendererProps } from './FormRenderer';
export * from './types';
export * from './logic';
