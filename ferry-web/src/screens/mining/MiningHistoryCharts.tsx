import { useEffect, useState } from 'react';
import { Card, Col, Empty, Flex, Row, Segmented } from 'antd';
import { miningApi, type MiningRun, type MiningSample } from '../../api/mining';
import { LiveChart } from '../../components/LiveChart';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

/** The windows offered, in minutes. */
const WINDOWS = [15, 60, 360, 1440, 10080];

/** How often the charts read the history again: the server samples every 10 s. */
const RELOAD_MILLIS = 10_000;

/**
 * A mining run's events per second (read and appended, and read by its tasks), incremental latency
 * and mining-log size over a window, from the samples the server keeps
 * (GET /api/mining/{id}/history): the same after a reload of the page and on every node.
 */
export function MiningHistoryCharts({ run }: { run: MiningRun }) {
  const t = useT();
  const [minutes, setMinutes] = useState(60);
  const [samples, setSamples] = useState<MiningSample[]>([]);

  useEffect(() => {
    let current = true;
    const load = () =>
      miningApi.history(run.id, new Date(Date.now() - minutes * 60_000).toISOString()).then(
        (s) => current && setSamples(s),
        () => {},
      );
    load();
    const timer = setInterval(load, RELOAD_MILLIS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [run.id, minutes]);

  const at = (s: MiningSample) => Date.parse(s.at);
  return (
    <Card
      size="small"
      data-testid="mining-history"
      extra={
        <Segmented
          size="small"
          value={minutes}
          onChange={(v) => setMinutes(v as number)}
          options={WINDOWS.map((m) => ({ value: m, label: t(`miningHistory.window.${m}` as MessageKey) }))}
        />
      }
      title={t('mining.rateChart')}
    >
      {samples.length === 0 ? (
        <Empty description={t('miningHistory.none')} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <LiveChart
              unit="/s"
              series={[
                { name: t('miningHistory.appended'), points: samples.map((s) => [at(s), s.appendedPerSecond]) },
                { name: t('miningHistory.read'), points: samples.map((s) => [at(s), s.readPerSecond]) },
              ]}
            />
          </Col>
          <Col xs={24} lg={12}>
            <Flex vertical gap={8}>
              <LiveChart
                height={150}
                unit="s"
                series={[
                  {
                    name: t('mining.lagChart'),
                    points: samples.filter((s) => s.lagMillis != null).map((s) => [at(s), (s.lagMillis as number) / 1000]),
                  },
                ]}
              />
              <LiveChart
                height={150}
                unit="MB"
                series={[
                  {
                    name: t('miningHistory.storeChart'),
                    points: samples.filter((s) => s.storeBytes != null).map((s) => [at(s), (s.storeBytes as number) / 1e6]),
                  },
                ]}
              />
            </Flex>
          </Col>
        </Row>
      )}
    </Card>
  );
}
