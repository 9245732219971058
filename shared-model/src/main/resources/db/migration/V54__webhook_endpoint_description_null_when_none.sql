-- An endpoint without a description had '' (the column was not null, default ''), shown as "" in
-- the API, while a segment without one showed null. Every resource now shows a missing description
-- as null, and PATCH description null clears it (docs/webhooks.md): the column takes null, no
-- default, and the '' stored for "none" becomes null.
alter table webhook_endpoints alter column description drop not null;
alter table webhook_endpoints alter column description drop default;
update webhook_endpoints set description = null where description = '';
