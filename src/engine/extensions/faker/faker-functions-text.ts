// Text generators: words, phrases, sentences and paragraphs (word, hipster) and strings.
import { goError } from '../../vu/go-error.ts';
import { capitalize, digits, gen, genWith, letters, pick, picks, type FakerJs, type FakerTable } from './faker-function.ts';
import type { FakerParams, ParamSpec } from './faker-params.ts';
import { HIPSTER_WORDS, WORD_LISTS } from './faker-word-lists.ts';

type WordSource = (fk: FakerJs) => string;

const WORD_COUNT: ParamSpec = { field: 'wordcount', type: 'int', def: '5' };
const PARAGRAPH_PARAMS: readonly ParamSpec[] = [
  { field: 'paragraphcount', type: 'int', def: '2' },
  { field: 'sentencecount', type: 'int', def: '2' },
  WORD_COUNT,
  { field: 'paragraphseparator', type: 'string', def: '<br />' },
];

function wordCount(p: FakerParams): number {
  const n = p.int('wordcount');
  if (n <= 0 || n > 50) throw goError('invalid word count, must be greater than 0, less than 50');
  return n;
}

function sentenceOf(fk: FakerJs, words: WordSource, n: number, end = '.'): string {
  const list = Array.from({ length: n }, () => words(fk));
  return capitalize(list.join(' ')) + end;
}

function paragraphOf(fk: FakerJs, words: WordSource, p: FakerParams): string {
  const paragraphs = p.int('paragraphcount');
  if (paragraphs <= 0 || paragraphs > 20) throw goError('invalid paragraph count, must be greater than 0, less than 20');
  const sentences = p.int('sentencecount');
  if (sentences <= 0 || sentences > 20) throw goError('invalid sentence count, must be greater than 0, less than 20');
  const n = wordCount(p);
  const separator = p.str('paragraphseparator');
  const out: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    out.push(Array.from({ length: sentences }, () => sentenceOf(fk, words, n)).join(' '));
  }
  return out.join(separator);
}

/** sentence(wordcount) and paragraph(…) generators over one word source. */
function prose(category: string, words: WordSource, sentenceName: string, paragraphName: string): FakerTable {
  return {
    [sentenceName]: genWith(category, 'string', [WORD_COUNT], (fk, p) => sentenceOf(fk, words, wordCount(p))),
    [paragraphName]: genWith(category, 'string', PARAGRAPH_PARAMS, (fk, p) => paragraphOf(fk, words, p)),
  };
}

const anyWord: WordSource = (fk) => fk.word.sample().toLowerCase();
const loremWord: WordSource = (fk) => fk.lorem.word();
const hipsterWord: WordSource = (fk) => pick(fk, HIPSTER_WORDS);

const PRONOUNS = [
  ...WORD_LISTS.pronounPersonal, ...WORD_LISTS.pronounObject, ...WORD_LISTS.pronounPossessive,
  ...WORD_LISTS.pronounReflective, ...WORD_LISTS.pronounDemonstrative, ...WORD_LISTS.pronounIndefinite,
];

const nounPhrase = (fk: FakerJs): string => `${pick(fk, WORD_LISTS.nounDeterminer)} ${fk.word.noun()}`;

export const TEXT_FUNCTIONS: FakerTable = {
  ...picks('word', WORD_LISTS),
  adjective: gen('word', 'string', (fk) => fk.word.adjective()),
  adverb: gen('word', 'string', (fk) => fk.word.adverb()),
  noun: gen('word', 'string', (fk) => fk.word.noun()),
  verb: gen('word', 'string', (fk) => fk.word.verb()),
  preposition: gen('word', 'string', (fk) => fk.word.preposition()),
  interjection: gen('word', 'string', (fk) => fk.word.interjection()),
  pronoun: gen('word', 'string', (fk) => pick(fk, PRONOUNS)),
  word: gen('word', 'string', anyWord),
  nounProper: gen('word', 'string', (fk) => fk.person.firstName()),
  nounPhrase: gen('word', 'string', nounPhrase),
  verbPhrase: gen('word', 'string', (fk) => `${fk.word.verb()} ${nounPhrase(fk)}`),
  prepositionPhrase: gen('word', 'string', (fk) => `${pick(fk, WORD_LISTS.prepositionSimple)} ${pick(fk, WORD_LISTS.nounDeterminer)} ${fk.word.adjective()} ${fk.word.noun()}`),
  adverbPhrase: gen('word', 'string', (fk) => `${pick(fk, WORD_LISTS.adverbDegree)} ${pick(fk, WORD_LISTS.adverbManner)}`),
  simpleSentence: gen('word', 'string', (fk) => `${capitalize(nounPhrase(fk))} ${fk.word.verb()}s ${nounPhrase(fk)}.`),
  question: gen('word', 'string', (fk) => sentenceOf(fk, anyWord, fk.number.int({ min: 3, max: 8 }), '?')),
  quote: gen('word', 'string', (fk) => `"${sentenceOf(fk, anyWord, fk.number.int({ min: 3, max: 8 }))}" - ${fk.person.firstName()} ${fk.person.lastName()}`),
  ...prose('word', anyWord, 'sentence', 'paragraph'),
  loremIpsumWord: gen('word', 'string', loremWord),
  ...prose('word', loremWord, 'loremIpsumSentence', 'loremIpsumParagraph'),
  hipsterWord: gen('hipster', 'string', hipsterWord),
  ...prose('hipster', hipsterWord, 'hipsterSentence', 'hipsterParagraph'),

  digit: gen('strings', 'string', (fk) => digits(fk, 1)),
  // A count of 0 gives one character, as in gofakeit.
  digitN: genWith('strings', 'string', [{ field: 'count', type: 'uint' }], (fk, p) => digits(fk, Math.max(1, p.uint('count')))),
  letter: gen('strings', 'string', (fk) => letters(fk, 1)),
  letterN: genWith('strings', 'string', [{ field: 'count', type: 'uint' }], (fk, p) => letters(fk, Math.max(1, p.uint('count')))),
  lexify: genWith('strings', 'string', [{ field: 'str', type: 'string' }], (fk, p) => p.str('str').replace(/\?/g, () => letters(fk, 1))),
  numerify: genWith('strings', 'string', [{ field: 'str', type: 'string' }], (fk, p) => p.str('str').replace(/#/g, () => digits(fk, 1))),
  // Declared as string[] by the extension, but it returns one of the strings.
  randomString: genWith('strings', 'string', [{ field: 'strs', type: 'strings' }], (fk, p) => {
    const strs = p.strs('strs');
    return strs.length === 0 ? '' : pick(fk, strs);
  }),
  shuffleStrings: genWith('strings', 'string[]', [{ field: 'strs', type: 'strings' }], (fk, p) => fk.helpers.shuffle(p.strs('strs'))),
  uuid: gen('strings', 'string', (fk) => fk.string.uuid()),
};
