package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The participants one {@code POST /v1/campaigns/{id}/admit} admitted, in position order. */
@Schema(name = "AdmittedParticipants")
public record AdmittedResponse(List<ParticipantResponse> data) {}
