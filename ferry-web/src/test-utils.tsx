import type { ReactElement } from 'react';
import { App as AntApp } from 'antd';
import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { I18nProvider, type Lang } from './i18n';

/** Renders a component as the app does: Ant Design and the texts, in English. */
export function renderInApp(ui: ReactElement) {
  return render(<I18nProvider lang="en">{ui}</I18nProvider>);
}

/** Where the router went: the path of the screen a test navigated to. */
function Location() {
  return <div data-testid="location">{useLocation().pathname}</div>;
}

/**
 * Renders a screen at `route` (matched by `path`, e.g. `tasks/:id/edit`) with what the app gives
 * every screen: the texts, Ant Design's App (messages, modals) and a router. Any other path shows
 * `data-testid="location"` with the path navigated to.
 */
export function renderScreen(
  ui: ReactElement,
  { route = '/', path = '/', lang = 'en' }: { route?: string; path?: string; lang?: Lang } = {},
) {
  return render(
    <I18nProvider lang={lang}>
      <AntApp>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path} element={ui} />
            <Route path="*" element={<Location />} />
          </Routes>
        </MemoryRouter>
      </AntApp>
    </I18nProvider>,
  );
}
