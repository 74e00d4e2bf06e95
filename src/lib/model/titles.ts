/**
 * MovieLens files sort titles by moving the leading article to the end: "Godfather, The (1972)".
 * People search and read "The Godfather (1972)", so the UI shows the article in front.
 * Covers the articles that occur in MovieLens titles (English, French, Spanish, Italian, German...).
 */
const TRAILING_ARTICLE = /^(.*), (The|A|An|Les|Le|La|L'|Los|Las|El|Il|Lo|I|Gli|Der|Die|Das|Den|Det|De|Een|Het|O|Os|As|Un|Une|Ein|Eine)(\s*\(.*)?$/;

export function displayTitle(title: string): string {
  const m = TRAILING_ARTICLE.exec(title);
  if (!m) return title;
  const [, rest, article, tail = ''] = m;
  const joiner = article.endsWith("'") ? '' : ' ';
  return `${article}${joiner}${rest}${tail ? (tail.startsWith(' ') ? tail : ` ${tail}`) : ''}`;
}

/** The title without its "(1995)" year suffix, for compact lists that show the year apart. */
export function titleWithoutYear(title: string): string {
  return title.replace(/\s*\(\d{4}(?:[-–]\d{4})?\)\s*$/, '');
}
