import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthProvider';
import { useT } from '../i18n';
import type { MessageKey } from '../i18n/messages';

/** What a screen says to a user whose role may not use it (a viewer on a form that changes things). */
export function NoPermission() {
  const t = useT();
  const navigate = useNavigate();
  const { me } = useAuth();
  const role = t(`role.${me?.roles[0] ?? 'viewer'}` as MessageKey);
  return (
    <Result
      status="403"
      title={t('noPermission.title')}
      subTitle={t('noPermission.text', { role })}
      extra={
        <Button type="primary" onClick={() => navigate(-1)} data-testid="no-permission-back">
          {t('noPermission.back')}
        </Button>
      }
      data-testid="no-permission"
    />
  );
}
