import { useEffect, useMemo, useState } from 'react';
import { Button, Flex, Select, Typography } from 'antd';
import { connectorsApi, dataSourcesApi, type Connector, type DataSource, type TemplateSide } from '../../api/datasources';
import { useI18n } from '../../i18n';

/** A side as a select's value: `ds:<alias>` or `connector:<name>`. */
type SideValue = string;

const toSide = (value: SideValue): TemplateSide =>
  value.startsWith('ds:') ? { datasource: value.slice(3) } : { connector: value.slice('connector:'.length) };

/** The first data source whose connector has the role, else the preferred connector, else any with the role. */
function firstSide(role: 'source' | 'sink', dataSources: DataSource[], connectors: Connector[], skip: SideValue | null, preferred: string) {
  const able = new Set(connectors.filter((c) => c.roles[role]).map((c) => c.name));
  const ds = dataSources.filter((d) => able.has(d.connector)).map((d) => `ds:${d.alias}`);
  return (
    ds.find((v) => v !== skip) ?? ds[0] ?? (able.has(preferred) ? `connector:${preferred}` : [...able].map((n) => `connector:${n}`)[0])
  );
}

/**
 * The templates of script mode: pick where rows come from and where they go (a data source or a
 * connector) and get the job file generated from their connectors' option declarations. Offers a
 * first pair at once (the first data sources, else generated data into a blackhole).
 */
export function TemplatePicker({ onTemplate, initial }: { onTemplate: (script: string) => void; initial: boolean }) {
  const { t, lang } = useI18n();
  const [dataSources, setDataSources] = useState<DataSource[]>([]);
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [source, setSource] = useState<SideValue | null>(null);
  const [sink, setSink] = useState<SideValue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    Promise.all([dataSourcesApi.list({ page: 0, size: 500 }), connectorsApi.list()]).then(
      ([page, all]) => {
        setDataSources(page.items);
        setConnectors(all);
        if (!initial) return;
        const s = firstSide('source', page.items, all, null, 'datagen');
        setSource(s);
        setSink(firstSide('sink', page.items, all, s, 'blackhole'));
      },
      () => {},
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the choices, once
  }, []);

  const generate = (s: SideValue | null, k: SideValue | null) => {
    if (!s || !k) return;
    setLoading(true);
    connectorsApi
      .jobTemplate(toSide(s), toSide(k))
      .then(
        (script) => {
          setError(null);
          onTemplate(script);
        },
        (e) => setError(e instanceof Error ? e.message : String(e)),
      )
      .finally(() => setLoading(false));
  };

  // The first pair is filled in as soon as it is known.
  const firstPair = initial && source != null && sink != null;
  useEffect(() => {
    if (firstPair) generate(source, sink);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the first pair, by itself
  }, [firstPair]);

  const options = (role: 'source' | 'sink') => {
    const able = new Set(connectors.filter((c) => c.roles[role]).map((c) => c.name));
    return [
      {
        label: t('template.dataSources'),
        options: dataSources
          .filter((d) => able.has(d.connector))
          .map((d) => ({ value: `ds:${d.alias}`, label: `${d.alias} (${d.connector})` })),
      },
      {
        label: t('template.connectors'),
        options: [...able].map((name) => ({ value: `connector:${name}`, label: name })),
      },
    ];
  };
  const sourceOptions = useMemo(() => options('source'), [dataSources, connectors, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const sinkOptions = useMemo(() => options('sink'), [dataSources, connectors, lang]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }}>
      <Typography.Text>{t('template.title')}</Typography.Text>
      <Select
        style={{ minWidth: 220 }}
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('template.source')}
        value={source}
        options={sourceOptions}
        onChange={(value) => {
          setSource(value);
          generate(value, sink);
        }}
        id="template-source"
        data-testid="template-source"
      />
      <Typography.Text type="secondary">→</Typography.Text>
      <Select
        style={{ minWidth: 220 }}
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('template.sink')}
        value={sink}
        options={sinkOptions}
        onChange={(value) => {
          setSink(value);
          generate(source, value);
        }}
        id="template-sink"
        data-testid="template-sink"
      />
      <Button loading={loading} disabled={!source || !sink} onClick={() => generate(source, sink)} data-testid="template-apply">
        {t('template.apply')}
      </Button>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Flex>
  );
}
