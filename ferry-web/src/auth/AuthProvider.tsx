import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { authApi, type Me } from '../api/auth';
import { setUnauthorizedHandler } from '../api/client';
import { live } from '../api/live';

interface Auth {
  /** null while nobody is logged in; undefined until the server answered */
  me: Me | null | undefined;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** operators and admins create, change and run */
  canOperate: boolean;
  /** may read row data (dirty rows): admins, operators, and viewers granted it */
  canReadRows: boolean;
  /** admins also manage users and read the audit log */
  isAdmin: boolean;
}

const AuthContext = createContext<Auth | null>(null);

/** Who is logged in, from the session cookie; the live socket follows the session. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    authApi.me().then(setMe, () => setMe(null));
  }, []);

  useEffect(() => {
    if (me) live.open();
    else live.close();
  }, [me]);

  const login = useCallback(async (username: string, password: string) => {
    setMe(await authApi.login(username, password));
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setMe(null);
    }
  }, []);

  const value = useMemo<Auth>(() => {
    const roles = me?.roles ?? [];
    return {
      me,
      login,
      logout,
      canOperate: roles.includes('admin') || roles.includes('operator'),
      isAdmin: roles.includes('admin'),
      canReadRows: me?.readRows ?? false,
    };
  }, [me, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
