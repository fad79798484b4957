/**
 * The texts of the Resource groups page and the wizard's group choice (docs/scheduling.md,
 * "Resource groups"), in English and Simplified Chinese; spread into the dictionaries of
 * messages.ts.
 */
export const groupsEn = {
  'nav.groups': 'Resource groups',
  'groups.intro':
    "Where a task's runs execute. A group of nodes is the Ferry workers started with `ferry server --worker --group NAME` (they need to reach only the metadata database); `default` is the server's own pool. A Flink group sends its runs to a Flink session cluster.",
  'groups.create': 'New group',
  'groups.editTitle': 'Resource group {name}',
  'groups.name': 'Name',
  'groups.kind': 'Kind',
  'groups.kind.nodes': 'Ferry nodes',
  'groups.kind.flink': 'Flink cluster',
  'groups.flinkAddress': 'Flink REST address',
  'groups.flinkAddressHelp': "The session cluster's REST endpoint, host:port (e.g. flink-jm:8081).",
  'groups.tasks': 'Tasks',
  'groups.confirmDelete': 'Delete resource group {name}?',
  'groups.nodes': 'Nodes of {name}',
  'groups.noNodes': 'No node has joined this group: start one with ferry server --worker --group {name}.',
  'groups.flinkNodes': 'Runs of this group are submitted to the Flink cluster at {address} by a node of the default group.',
  'groups.node': 'Node',
  'groups.heartbeat': 'Last heartbeat',
  'groups.cpu': 'CPU',
  'groups.heap': 'Heap',
  'groups.rss': 'Resident (RSS)',
  'groups.running': 'Running runs',
  'groups.test': 'Test connectivity',
  'groups.testTitle': 'Test connectivity from {name}',
  'groups.testHelp': 'A node of the group opens a connection to the data source and reports what it found.',
  'groups.dataSource': 'Data source',
  'groups.testRun': 'Test',
  'groups.testOk': 'Node {node} reached {dataSource}.',
  'groups.testFailed': 'Node {node} could not reach {dataSource}: {message}',
  'groups.testNoAnswer': 'No node of {name} answered in time: is one running, and does it reach the metadata database?',
  'groups.choose': 'Resource group',
  'groups.chooseHelp':
    "Where the task's runs execute. default: the server's own pool; a Flink group: its Flink session cluster (no cdc or incremental jobs; runs are not paused).",
};

export type GroupsMessageKey = keyof typeof groupsEn;

export const groupsZh: Record<GroupsMessageKey, string> = {
  'nav.groups': '资源组',
  'groups.intro':
    '任务的运行在哪里执行。节点组由以 `ferry server --worker --group NAME` 启动的 Ferry 工作节点组成（它们只需能访问元数据库）；`default` 是服务器自身的资源池。Flink 组把运行提交到 Flink 会话集群。',
  'groups.create': '新建资源组',
  'groups.editTitle': '资源组 {name}',
  'groups.name': '名称',
  'groups.kind': '类型',
  'groups.kind.nodes': 'Ferry 节点',
  'groups.kind.flink': 'Flink 集群',
  'groups.flinkAddress': 'Flink REST 地址',
  'groups.flinkAddressHelp': '会话集群的 REST 端点，host:port（例如 flink-jm:8081）。',
  'groups.tasks': '任务数',
  'groups.confirmDelete': '删除资源组 {name}？',
  'groups.nodes': '{name} 的节点',
  'groups.noNodes': '尚无节点加入此组：用 ferry server --worker --group {name} 启动一个。',
  'groups.flinkNodes': '此组的运行由 default 组的节点提交到 {address} 的 Flink 集群。',
  'groups.node': '节点',
  'groups.heartbeat': '最后心跳',
  'groups.cpu': 'CPU',
  'groups.heap': '堆内存',
  'groups.rss': '常驻内存（RSS）',
  'groups.running': '运行中',
  'groups.test': '测试连通性',
  'groups.testTitle': '从 {name} 测试连通性',
  'groups.testHelp': '由组内的一个节点连接数据源，并报告结果。',
  'groups.dataSource': '数据源',
  'groups.testRun': '测试',
  'groups.testOk': '节点 {node} 已连通 {dataSource}。',
  'groups.testFailed': '节点 {node} 无法连通 {dataSource}：{message}',
  'groups.testNoAnswer': '{name} 中没有节点及时应答：是否有节点在运行，并且能访问元数据库？',
  'groups.choose': '资源组',
  'groups.chooseHelp':
    '任务的运行在哪里执行。default：服务器自身的资源池；Flink 组：其 Flink 会话集群（不支持 cdc 和增量作业；运行不可暂停）。',
};
