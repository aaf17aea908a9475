// NodeVaultIT's client: node-vault against the packaged service, first as the root token (policies), then as the CI
// token of a role holding role-admin. Prints one JSON object: each step's HTTP status (200/204 as "ok").
import vault from 'node-vault';

const endpoint = process.env.VAULT_ADDR;
const roleArn = process.env.ROLE_ARN;
const results = {};

async function step(name, call) {
  try {
    const answer = await call();
    results[name] = { status: 'ok', answer: answer ?? null };
  } catch (e) {
    results[name] = { status: e.response ? e.response.statusCode : 'error', message: e.message };
  }
}

const root = vault({ apiVersion: 'v1', endpoint, token: process.env.ROOT_TOKEN });
const rules = `
path "auth/alicloud/role/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "auth/alicloud/role/prod-*" {
  capabilities = ["deny"]
}
`;

if (process.argv[2] === 'setup') {
  await step('addPolicy', () => root.addPolicy({ name: 'role-admin', rules }));
  await step('getPolicy', () => root.getPolicy({ name: 'role-admin' }));
  await step('policies', () => root.policies());
  await step('writeCiRole', () => root.write('auth/alicloud/role/ci-role', { arn: roleArn, token_policies: 'role-admin' }));
} else if (process.argv[2] === 'delegated') {
  const ci = vault({ apiVersion: 'v1', endpoint, token: process.env.CI_TOKEN });
  const ciNoVerbs = vault({ apiVersion: 'v1', endpoint, token: process.env.CI_TOKEN, noCustomHTTPVerbs: true });
  await step('lookupSelf', () => ci.tokenLookupSelf());
  await step('createRole', () => ci.write('auth/alicloud/role/app-web', { arn: roleArn, token_ttl: '1h' }));
  await step('readRole', () => ci.read('auth/alicloud/role/app-web'));
  await step('updateRole', () => ci.write('auth/alicloud/role/app-web', { token_ttl: '2h' }));
  await step('listRoles', () => ci.list('auth/alicloud/role'));
  await step('listRolesWithQuery', () => ciNoVerbs.list('auth/alicloud/role'));
  await step('deleteRole', () => ci.delete('auth/alicloud/role/app-web'));
  await step('createProdRole', () => ci.write('auth/alicloud/role/prod-web', { arn: roleArn }));
  await step('readConfig', () => ci.read('auth/alicloud/config'));
  await step('writeConfig', () => ci.write('auth/alicloud/config', { sts_timeout: '5s' }));
  await step('addPolicy', () => ci.addPolicy({ name: 'mine', rules }));
  await step('rotate', () => ci.write('sys/rotate', {}));
} else if (process.argv[2] === 'cleanup') {
  await step('removePolicy', () => root.removePolicy({ name: 'role-admin' }));
  await step('getRemoved', () => root.getPolicy({ name: 'role-admin' }));
}
console.log(JSON.stringify(results));
