import { displayTitle } from '../model/titles';

/**
 * Leading articles, in the languages MovieLens titles use. MovieLens moves them to the end
 * ("Godfather, The", "Misérables, Les", "Boot, Das"); Letterboxd and IMDb keep them in front.
 * The key drops them on both sides, so the two spellings meet.
 */
const ARTICLES = "the|a|an|les|le|la|l'|los|las|el|il|lo|i|gli|der|die|das|den|det|de|een|het|o|os|as|un|une|ein|eine";
const TRAILING_ARTICLE = new RegExp(`,\\s*(?:${ARTICLES})\\s*$`);
const LEADING_ARTICLE = new RegExp(`^(?:${ARTICLES.replace("l'|", '')})\\s+(?=\\S)`);
/** French and Italian elide the article: "L'Avventura" is MovieLens's "Avventura, L'". */
const LEADING_ELISION = /^l['’]\s*(?=\S)/;
const YEAR_SUFFIX = /\s*\((?:\d{4})(?:[-–]\d{4})?\)\s*$/;
const TRAILING_PARENS = /\s*\(([^()]*)\)\s*$/;
const AKA = /^(?:a\.k\.a\.|aka)\s+/i;

/**
 * The form two spellings of one title share: accents stripped (NFD, then the combining marks
 * dropped: "Amélie" = "Amelie"), case folded, "&" read as "and", the leading or trailing article
 * dropped, and every character that is not a letter or a digit removed, spaces included, so that
 * "Spider-Man" = "Spiderman" and "Mr. Holland's Opus" = "Mr Hollands Opus".
 */
export function titleKey(title: string): string {
  let t = title
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .trim();
  t = t.replace(TRAILING_ARTICLE, '');
  t = t.replace(LEADING_ELISION, '');
  t = t.replace(/&/g, ' and ');
  // Punctuation becomes a space first, so that the article test sees words ("The-Thing" aside).
  t = t.replace(/[^\p{L}\p{N}']+/gu, ' ').trim();
  t = t.replace(LEADING_ARTICLE, '');
  return t.replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A MovieLens title taken apart: "Seven (a.k.a. Se7en) (1995)" -> main "Seven", alternatives ["Se7en"]. */
export interface TitleParts {
  main: string;
  /** Names in trailing parentheses: "a.k.a." titles and the original-language title. */
  alternatives: string[];
}

/**
 * Splits off the year and the trailing parenthesised names MovieLens adds to a title
 * ("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", "Léon: The Professional (a.k.a. The
 * Professional) (Léon) (1994)"). Parentheses at the start or in the middle are part of the title
 * ("(500) Days of Summer").
 */
export function titleParts(title: string): TitleParts {
  let main = title.replace(YEAR_SUFFIX, '');
  const alternatives: string[] = [];
  for (let m = TRAILING_PARENS.exec(main); m && m.index > 0; m = TRAILING_PARENS.exec(main)) {
    alternatives.unshift(m[1].replace(AKA, '').trim());
    main = main.slice(0, m.index);
  }
  return { main: main.trim(), alternatives: alternatives.filter((a) => a !== '') };
}

/** Every key a MovieLens title answers to: its main title, each alternative, and the whole title without its year. */
export function movieLensTitleKeys(title: string): string[] {
  const { main, alternatives } = titleParts(title);
  const keys = new Set([main, ...alternatives, title.replace(YEAR_SUFFIX, '')].map(titleKey));
  keys.delete('');
  return [...keys];
}

/** The name a person would recognise: "Godfather, The (1972)" -> "The Godfather"; "Seven (a.k.a. Se7en) (1995)" -> "Seven". */
export function primaryTitle(title: string): string {
  return displayTitle(titleParts(title).main);
}
