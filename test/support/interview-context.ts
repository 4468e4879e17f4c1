import { loadInterviewSpec } from '../../src/cli/new-command.js';
import { loadContext } from '../../src/cli/pipeline.js';
import type { InterviewContext } from '../../src/interview/flow.js';

/** The interview's context in each language, over the real spec and baseline library, dated 2027-03-01. */
export async function interviewContexts(): Promise<{ nb: InterviewContext; nn: InterviewContext; en: InterviewContext }> {
  const spec = await loadInterviewSpec();
  const { library, templates } = await loadContext();
  const ctx = (lang: 'nb' | 'nn' | 'en'): InterviewContext => ({ spec, lang, library, today: '2027-03-01', topicNames: templates.i18n[lang]!.topics, i18n: templates.i18n[lang]! });
  return { nb: ctx('nb'), nn: ctx('nn'), en: ctx('en') };
}
