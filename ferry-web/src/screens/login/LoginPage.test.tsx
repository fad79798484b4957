import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { renderScreen } from '../../test-utils';
import { LoginPage } from './LoginPage';

/** The server's answer to the next login: a refusal. */
let refusal = new ApiError(401, 'wrong user name or password');
const login = vi.fn(async () => {
  throw refusal;
});
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => ({ login }) }));

/** Logs in with a wrong password; the alert the page then shows. */
async function logIn(lang: 'en' | 'zh', refused: ApiError) {
  refusal = refused;
  renderScreen(<LoginPage />, { lang });
  fireEvent.change(screen.getByLabelText(lang === 'en' ? 'User name' : '用户名'), { target: { value: 'admin' } });
  fireEvent.change(screen.getByLabelText(lang === 'en' ? 'Password' : '密码'), { target: { value: 'wrong' } });
  fireEvent.click(screen.getByRole('button', { name: lang === 'en' ? 'Log in' : '登录' }));
  return screen.findByRole('alert', {}, { timeout: 5000 });
}

describe('LoginPage', () => {
  it('says how long to wait when the server throttles logins (429 with Retry-After)', async () => {
    const alert = await logIn('en', new ApiError(429, 'too many failed logins for admin; try again in 8 s', [], 8));
    expect(alert).toHaveTextContent('Too many failed logins. Try again in 8 s.');
  });

  it('says it in Chinese too', async () => {
    const alert = await logIn('zh', new ApiError(429, 'too many failed logins', [], 30));
    expect(alert).toHaveTextContent('登录失败次数过多，请 30 秒后再试。');
  });

  it('still shows the server message of a wrong password', async () => {
    const alert = await logIn('en', new ApiError(401, 'wrong user name or password'));
    expect(alert).toHaveTextContent('wrong user name or password');
  });
});
