import { useCallback, useEffect, useRef, useState } from 'react';
import type { TablePaginationConfig } from 'antd';
import type { Page, PageQuery } from '../api/client';
import { useI18n } from '../i18n';

/**
 * One server-side page of a list and the table pagination that moves through it. A change of
 * `filter` goes back to the first page; `refreshMillis` reloads the page quietly (live states); a
 * change of language reloads it (the server translates some texts).
 */
export function usePaged<T, F extends object = object>(
  load: (query: PageQuery & F) => Promise<Page<T>>,
  filter: F,
  options: { size?: number; refreshMillis?: number } = {},
) {
  const { lang } = useI18n();
  const key = JSON.stringify(filter) + lang;
  const [position, setPosition] = useState({ key, page: 0, size: options.size ?? 20 });
  const page = position.key === key ? position.page : 0;
  const size = position.size;
  const [data, setData] = useState<Page<T> | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const latestLoad = useRef(load);
  const latestFilter = useRef(filter);
  useEffect(() => {
    latestLoad.current = load;
    latestFilter.current = filter;
  });

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    latestLoad
      .current({ ...latestFilter.current, page, size })
      .then((result) => {
        if (cancelled) return;
        setData(result);
        setError(undefined);
      })
      .catch((e) => !cancelled && setError(e))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [key, page, size, tick]);

  useEffect(() => {
    if (!options.refreshMillis) return;
    const timer = setInterval(() => {
      latestLoad
        .current({ ...latestFilter.current, page, size })
        .then(setData)
        .catch(() => {});
    }, options.refreshMillis);
    return () => clearInterval(timer);
  }, [key, page, size, options.refreshMillis]);

  const reload = useCallback(() => setTick((t) => t + 1), []);

  const pagination: TablePaginationConfig = {
    current: page + 1,
    pageSize: size,
    total: data?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [10, 20, 50, 100],
    onChange: (p, s) => setPosition({ key, page: s !== size ? 0 : p - 1, size: s }),
  };

  return { items: data?.items ?? [], total: data?.total ?? 0, loading, error, reload, pagination };
}
