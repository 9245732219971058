/**
 * Results of survey campaigns on the Management API (SPEC §8, docs/surveys.md): the summary (NPS,
 * distributions, completion and drop-off per question), the export of every response, and the
 * answers to one question (text answers, paginated).
 */
package io.growthos.management.surveys;
