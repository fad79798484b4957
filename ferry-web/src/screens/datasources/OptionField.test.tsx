import { screen } from '@testing-library/react';
import { Form } from 'antd';
import { describe, expect, it } from 'vitest';
import type { OptionDecl } from '../../api/datasources';
import { renderInApp } from '../../test-utils';
import { OptionField } from './OptionField';

const user = (label: string | null, description: string): OptionDecl => ({
  name: 'user',
  label,
  type: 'string',
  description,
  defaultValue: null,
  required: true,
  secret: false,
  choices: [],
});

describe('OptionField', () => {
  it('labels an option in the language the server answered, its name beside', () => {
    renderInApp(
      <Form>
        <OptionField option={user('用户名', 'Ferry 登录所用的数据库用户。')} />
      </Form>,
    );
    expect(screen.getByText('用户名 (user)')).toBeInTheDocument();
    expect(screen.getByText('Ferry 登录所用的数据库用户。')).toBeInTheDocument();
  });

  it('labels it with its name where the name is the label', () => {
    renderInApp(
      <Form>
        <OptionField option={user(null, 'The database user Ferry logs in as.')} />
      </Form>,
    );
    expect(screen.getByText('user')).toBeInTheDocument();
  });
});
