// Validates Kubernetes manifests against the API schemas, offline: npm ci && npm run check
import fs from "node:fs";
import * as yaml from "js-yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { Service, Secret, ServiceAccount } from "kubernetes-models/v1";
const kinds = { Deployment, Service, Secret, ServiceAccount };
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const Model = kinds[doc.kind];
    if (!Model) { console.log(`${file}: no model for ${doc.kind}`); failed++; continue; }
    try { new Model(doc).validate(); console.log(`${file}: ${doc.kind} ${doc.metadata.name} valid`); }
    catch (e) { console.log(`${file}: ${doc.kind} INVALID: ${e.message}`); failed++; }
  }
}
process.exit(failed ? 1 : 0);
