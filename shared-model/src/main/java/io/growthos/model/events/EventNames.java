package io.growthos.model.events;

import io.growthos.model.contacts.ContactIds;
import io.growthos.model.values.TextLength;

/**
 * What an event name is, the one rule for every place that takes one: the Ingest API's track {@code
 * event}, a referral program's qualifying event, a social-proof source, a survey's trigger event, a
 * segment's {@code performed}, an analytics series or step. 1 to {@link #MAX_CHARS} characters,
 * counted in code points ({@link TextLength}: an emoji is one), as ids are.
 */
public final class EventNames {

  /** The longest event name, in code points. */
  public static final int MAX_CHARS = ContactIds.MAX_CHARS;

  private EventNames() {}

  /** Whether {@code name} is at most {@link #MAX_CHARS} characters long. */
  public static boolean fits(String name) {
    return TextLength.atMost(name, MAX_CHARS);
  }
}
