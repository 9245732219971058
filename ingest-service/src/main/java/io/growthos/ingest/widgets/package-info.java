/**
 * The widget routes of the Ingest API (SPEC §8, {@code /v1/widgets/…}): what the web components
 * call from a browser with the workspace's write key. This package holds both the campaign routes
 * (referral programs and waitlists) and the infrastructure every widget route gets by living under
 * {@link io.growthos.ingest.web.WidgetRoutes#PREFIX}, whatever package its controller is in:
 *
 * <ul>
 *   <li>the write key is read from the {@code Authorization} header only (never the body);
 *   <li>CORS: preflights answered for any origin, actual requests allowed only from the workspace's
 *       allowed origins when it lists any ({@link io.growthos.ingest.widgets.WidgetCorsFilter},
 *       {@link io.growthos.ingest.widgets.WidgetOriginCheck});
 *   <li>for routes about a campaign: {@link io.growthos.ingest.widgets.LiveCampaigns} finds it only
 *       when it is live (the same 404 otherwise).
 * </ul>
 *
 * Tests of widget routes can extend {@code WidgetTestSupport} (test sources, same package), which
 * checks every widget response of a test for e-mails, ids and other participants' tokens.
 *
 * <p>The rate limit of the ingest plan applies as to every write-key route (the request pipeline).
 */
package io.growthos.ingest.widgets;
