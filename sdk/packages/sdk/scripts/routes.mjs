// How the Management API's operations are named on the client (Stripe style), derived from the
// OpenAPI document so that new routes appear without hand-written code:
//  - the resource is the path's first segment after /v1, camelCased (`api-keys` -> `apiKeys`);
//  - the operationId is `<controller>_<method>` (see management-service OpenApiConfig); when the
//    controller is another resource than the path's (`participant_list` on /v1/campaigns/...), it
//    becomes a sub-resource (`campaigns.participants.list`);
//  - `get` is `retrieve` and `delete` is `del` (as in Stripe's clients); a few names read better
//    overridden (OVERRIDES);
//  - a GET whose 200 body has `data` and `has_more` is a cursor list (async iterable + .page()).
// Two operations with one name fail the build.

const OVERRIDES = {
  participant_add: ['campaigns', 'participants', 'create'],
  participant_stats: ['campaigns', 'stats'],
  participant_referrals: ['campaigns', 'referrals'],
  segment_segmentsOfContact: ['contacts', 'segments', 'list'],
  webhookEndpoint_resend: ['webhookEndpoints', 'resendDelivery'],
  leaderboard_leaderboard: ['campaigns', 'leaderboard'],
  surveyResults_summary: ['campaigns', 'results'],
  surveyResults_responses: ['campaigns', 'responses', 'list'],
  surveyResults_answers: ['campaigns', 'answers', 'list'],
  // social-proof preview (GET /v1/campaigns/{id}/feed), once that route is in the document
  socialProofFeed_feed: ['campaigns', 'feed'],
};
const ACTIONS = { get: 'retrieve', delete: 'del' };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function camel(s) {
  return s.replace(/[-_]([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function resolveRef(doc, schema) {
  let s = schema;
  for (let i = 0; s && s.$ref && i < 10; i++) {
    s = s.$ref.replace(/^#\//, '').split('/').reduce((node, key) => (node ? node[key] : undefined), doc);
  }
  return s;
}

export function routesOf(doc) {
  const routes = [];
  const seen = new Map();
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const operationId = op.operationId;
      if (!operationId || !operationId.includes('_')) {
        throw new Error(`${method.toUpperCase()} ${path}: operationId '${operationId}' is not <resource>_<method>`);
      }
      const [controller, action] = operationId.split('_');
      const segments = path.replace(/^\/v1\//, '').split('/');
      const resource = camel(segments[0]);
      const singular = resource.replace(/ies$/, 'y').replace(/s$/, '');
      let name;
      if (OVERRIDES[operationId]) {
        name = OVERRIDES[operationId];
      } else {
        name = [resource];
        if (controller !== resource && controller !== singular) name.push(controller.endsWith('s') ? controller : controller + 's');
        name.push(ACTIONS[action] || action);
      }
      const key = name.join('.');
      if (seen.has(key)) throw new Error(`${key} names both ${seen.get(key)} and ${operationId}: add an override in scripts/routes.mjs`);
      seen.set(key, operationId);
      const params = [...(item.parameters || []), ...(op.parameters || [])];
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const query = params.filter((p) => p.in === 'query').map((p) => p.name);
      const headers = params.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
      const ok = op.responses && (op.responses['200'] || op.responses['201']);
      const okSchema = ok && ok.content && ok.content['application/json'] && resolveRef(doc, ok.content['application/json'].schema);
      const props = (okSchema && okSchema.properties) || {};
      routes.push({
        name,
        operationId,
        method: method.toUpperCase(),
        path,
        pathParams,
        body: op.requestBody ? (op.requestBody.required ? 2 : 1) : 0,
        query,
        paginated: method === 'get' && !!props.data && !!props.has_more,
        idempotent: headers.includes('idempotency-key'),
        // A POST that reads (its scope is a :read one: analytics queries, segment previews):
        // retried as a GET is, with no Idempotency-Key (the server ignores one there).
        read: method !== 'get' && /:read$/.test(op['x-required-scope'] || ''),
        summary: op.summary || '',
        scope: op['x-required-scope'] || '',
      });
    }
  }
  routes.sort((a, b) => a.name.join('.').localeCompare(b.name.join('.')));
  return routes;
}
