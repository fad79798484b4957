import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { I18nProvider } from './i18n';

/** Renders a component as the app does: Ant Design and the texts, in English. */
export function renderInApp(ui: ReactElement) {
  return render(<I18nProvider lang="en">{ui}</I18nProvider>);
}
