// The web components. `defineGrowthOSElements()` registers them (the script-tag bundle
// growthos-components.js does it on load); importing this module has no side effects, and it loads
// where there is no DOM (Node, server-side rendering), where defineGrowthOSElements() does nothing.
import { ReferralElement, WaitlistElement } from './participant.js';
import { SurveyElement } from './survey.js';
import { SocialProofElement } from './social-proof.js';

export { ReferralElement, WaitlistElement, SurveyElement, SocialProofElement };
export { GrowthOSElement } from './base.js';
export type { WidgetError } from './base.js';
export type { WidgetCampaign, WidgetParticipant, WidgetRewardRule } from './participant.js';
export type { WidgetSurvey, SurveyQuestion, SurveyRule } from './survey.js';
export type { SocialProofFeed } from './social-proof.js';

export const ELEMENTS: Record<string, CustomElementConstructor> = {
  'growthos-referral': ReferralElement,
  'growthos-waitlist': WaitlistElement,
  'growthos-survey': SurveyElement,
  'growthos-social-proof': SocialProofElement,
};

/**
 * Registers the four custom elements (once; safe to call again). Where there is no
 * `customElements` registry (Node, a server render) and none is given, it does nothing.
 */
export function defineGrowthOSElements(registry?: CustomElementRegistry): void {
  if (!registry) {
    if (typeof customElements === 'undefined') return;
    registry = customElements;
  }
  for (const [name, element] of Object.entries(ELEMENTS)) {
    if (!registry.get(name)) registry.define(name, element);
  }
}
