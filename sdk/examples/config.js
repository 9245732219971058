// Shared by the React and Vue examples: the campaign id, write key and ingest host come from the
// page's query string (?waitlist=cmp_…&write_key=gos_wk_…&host=http://localhost:8081), so the same
// build runs against any stack; without them, the documented placeholders.
const q = new URLSearchParams(typeof location === 'undefined' ? '' : location.search);
export const config = {
  waitlist: q.get('waitlist') || 'cmp_your_waitlist',
  writeKey: q.get('write_key') || 'gos_wk_your_write_key',
  host: q.get('host') || 'http://localhost:8081',
};
