// Validates Kubernetes objects against their API schemas with kubernetes-models
// (core and apps APIs), @kubernetes-models/prometheus-operator and
// @kubernetes-models/keda.
//
// stdin: a JSON array of objects (rendered manifests). stdout: one JSON line per
// object, {"kind", "name", "ok", "error"}. Exit status 0 when every object is
// valid, 1 otherwise. An object whose apiVersion/kind no package models is an
// error, so nothing passes unchecked.

const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "keda.sh": "@kubernetes-models/keda",
};

async function modelFor(apiVersion, kind) {
  // "apps/v1" -> kubernetes-models/apps/v1/Kind; "v1" -> kubernetes-models/v1/Kind;
  // "keda.sh/v1alpha1" -> @kubernetes-models/keda/keda.sh/v1alpha1/Kind.
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const pkg = packages[group] ?? "kubernetes-models";
  const module = await import(`${pkg}/${apiVersion}/${kind}`);
  return module[kind];
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
let failed = 0;
for (const object of JSON.parse(input)) {
  const kind = object?.kind ?? "?";
  const name = object?.metadata?.name ?? "?";
  let error = null;
  try {
    const Model = await modelFor(String(object.apiVersion), String(kind));
    if (typeof Model !== "function") throw new Error(`no model for ${object.apiVersion} ${kind}`);
    new Model(object).validate();
  } catch (e) {
    error = String(e?.message ?? e);
  }
  if (error) failed++;
  console.log(JSON.stringify({ kind, name, ok: !error, error }));
}
process.exit(failed ? 1 : 0);
