import { describe, expect, it } from 'vitest';
import { movieLensTitleKeys, primaryTitle, titleKey, titleParts } from '../../../src/lib/personal/title-key';

describe('titleKey: two spellings of one title meet', () => {
  it('ignores case and accents', () => {
    expect(titleKey('AMÉLIE')).toBe(titleKey('amelie'));
    expect(titleKey('Léon')).toBe('leon');
  });
  it('ignores punctuation and spaces', () => {
    expect(titleKey("Mr. Holland's Opus")).toBe(titleKey('Mr Hollands Opus'));
    expect(titleKey('Spider-Man')).toBe(titleKey('Spiderman'));
    expect(titleKey('Dr. Strangelove or: How I Learned')).toBe(titleKey('Dr Strangelove or How I Learned'));
  });
  it('reads "&" as "and"', () => {
    expect(titleKey('Harold & Kumar Escape from Guantanamo Bay')).toBe(titleKey('Harold and Kumar Escape from Guantanamo Bay'));
  });
  it('"The X" meets "X, The"; also A and An', () => {
    expect(titleKey('The Godfather')).toBe(titleKey('Godfather, The'));
    expect(titleKey('A Beautiful Mind')).toBe(titleKey('Beautiful Mind, A'));
    expect(titleKey('An American Werewolf in London')).toBe(titleKey('American Werewolf in London, An'));
  });
  it("meets MovieLens's other languages' articles: Le, La, Les, L', Das, Der, Die, El, Il", () => {
    expect(titleKey('Les Misérables')).toBe(titleKey('Misérables, Les'));
    expect(titleKey('La Dolce Vita')).toBe(titleKey('Dolce Vita, La'));
    expect(titleKey('Le Samouraï')).toBe(titleKey('Samouraï, Le'));
    expect(titleKey("L'Avventura")).toBe(titleKey("Avventura, L'"));
    expect(titleKey('Das Boot')).toBe(titleKey('Boot, Das'));
    expect(titleKey('Der Untergang')).toBe(titleKey('Untergang, Der'));
    expect(titleKey('Die Hard')).toBe(titleKey('Hard, Die'));
    expect(titleKey('El Topo')).toBe(titleKey('Topo, El'));
    expect(titleKey('Il Postino')).toBe(titleKey('Postino, Il'));
  });
  it('keeps an article that is the whole title, and articles inside a title', () => {
    expect(titleKey('The')).toBe('the');
    expect(titleKey('Lord of the Rings: The Two Towers, The')).toBe(titleKey('The Lord of the Rings: The Two Towers'));
  });
});

describe('titleParts and movieLensTitleKeys: MovieLens titles with other names', () => {
  it('splits "(a.k.a. ...)" and original-language names off the main title, and the year', () => {
    expect(titleParts('Seven (a.k.a. Se7en) (1995)')).toEqual({ main: 'Seven', alternatives: ['Se7en'] });
    expect(titleParts("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)")).toEqual({
      main: 'Amélie',
      alternatives: ["Fabuleux destin d'Amélie Poulain, Le"],
    });
    expect(titleParts('Léon: The Professional (a.k.a. The Professional) (Léon) (1994)')).toEqual({
      main: 'Léon: The Professional',
      alternatives: ['The Professional', 'Léon'],
    });
  });
  it('keeps parentheses that open the title', () => {
    expect(titleParts('(500) Days of Summer (2009)')).toEqual({ main: '(500) Days of Summer', alternatives: [] });
  });
  it('answers to every name', () => {
    const keys = movieLensTitleKeys('Postman, The (Postino, Il) (1994)');
    expect(keys).toContain(titleKey('The Postman'));
    expect(keys).toContain(titleKey('Il Postino'));
  });
  it('primaryTitle: the name to write for Letterboxd', () => {
    expect(primaryTitle('Godfather, The (1972)')).toBe('The Godfather');
    expect(primaryTitle('Seven (a.k.a. Se7en) (1995)')).toBe('Seven');
    expect(primaryTitle('City of Lost Children, The (Cité des enfants perdus, La) (1995)')).toBe('The City of Lost Children');
    expect(primaryTitle("Avventura, L' (Adventure, The) (1960)")).toBe("L'Avventura");
  });
});
