package io.growthos.ingest.widgets;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.growthos.model.contacts.ContactEmail;
import io.growthos.model.contacts.ContactIds;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /v1/widgets/campaigns/{id}/participants}; unknown fields are 400. */
@Schema(name = "WidgetJoin")
public record JoinRequest(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            example = "ada@example.com",
            maxLength = ContactEmail.MAX_CHARS)
        @JsonProperty("email")
        String email,
    @Schema(
            description = "The code of whoever shared the link (the ref= of the page URL)",
            example = "7K3MQ2ZD")
        @JsonProperty("referral_code")
        String referralCode,
    @Schema(
            description =
                "An id the widget generates once per join attempt and sends again on retry; the"
                    + " same id replays the join (same participant, fresh participant_token)",
            maxLength = 100)
        @JsonProperty("client_id")
        String clientId,
    @Schema(
            description =
                "The visitor's anonymous id (the tracking SDK's; the web components send their"
                    + " gos_anonymous_id). Kept with the participant for the fraud checks: a"
                    + " referral whose referee joins with the referrer's anonymous id is rejected"
                    + " (same_anonymous_id). Linked to the joined contact when that contact has"
                    + " no user id yet and the id is no other contact's, so a later identify"
                    + " carrying it gives that contact its user id. Blank is none",
            example = "3f0c9a52-2d4e-4a8e-9d7b-0b8d1c2e5f6a",
            maxLength = ContactIds.MAX_CHARS)
        @JsonProperty("anonymous_id")
        String anonymousId) {}
