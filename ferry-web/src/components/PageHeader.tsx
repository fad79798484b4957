import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A screen's title with its actions on the right. */
export function PageHeader({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <Flex gap={8} wrap>
        {extra}
      </Flex>
    </Flex>
  );
}
