/** Entry point: mounts the providers and the App into #root, and pulls in the stylesheets. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AuthProvider } from './auth/AuthContext';
import { ToastProvider } from './components/Toasts';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/table.css';
import './styles/components.css';
import './styles/live.css';
import './styles/status.css';
import './styles/storage.css';
import './styles/playback.css';
import './styles/playback-timeline.css';
import './styles/playback-zoom.css';
import './styles/playback-live.css';
import './styles/ml.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ToastProvider>
      <AuthProvider>
        <App />
      </AuthProvider>
    </ToastProvider>
  </StrictMode>,
);
