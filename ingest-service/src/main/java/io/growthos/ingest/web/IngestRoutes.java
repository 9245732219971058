package io.growthos.ingest.web;

import java.util.List;

/** The ingest routes (SPEC §3): long forms and the short forms analytics.js posts to. */
final class IngestRoutes {

  static final String TRACK = "/v1/track";
  static final String TRACK_SHORT = "/v1/t";
  static final String IDENTIFY = "/v1/identify";
  static final String IDENTIFY_SHORT = "/v1/i";
  static final String PAGE = "/v1/page";
  static final String PAGE_SHORT = "/v1/p";
  static final String SCREEN = "/v1/screen";
  static final String SCREEN_SHORT = "/v1/s";
  static final String GROUP = "/v1/group";
  static final String GROUP_SHORT = "/v1/g";
  static final String ALIAS = "/v1/alias";
  static final String ALIAS_SHORT = "/v1/a";
  static final String BATCH = "/v1/batch";
  static final String BATCH_SHORT = "/v1/b";
  static final String NOOP = "/v1/noop";

  /** Each call's long form and its short form, in the order of SPEC §3. */
  static final List<String[]> LONG_AND_SHORT =
      List.of(
          new String[] {TRACK, TRACK_SHORT},
          new String[] {IDENTIFY, IDENTIFY_SHORT},
          new String[] {PAGE, PAGE_SHORT},
          new String[] {SCREEN, SCREEN_SHORT},
          new String[] {GROUP, GROUP_SHORT},
          new String[] {ALIAS, ALIAS_SHORT},
          new String[] {BATCH, BATCH_SHORT});

  private IngestRoutes() {}
}
