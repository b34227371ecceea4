import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { noteEntry } from './features/dashboard/landing';
import 'antd/dist/reset.css';
import './shared/plain/plain.css';
import './index.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root not found');

// A session that starts anywhere but the bare root has had its landing (a leader's 驾驶舱, decision 041).
noteEntry(window.location);

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
