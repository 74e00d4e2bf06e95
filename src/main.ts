import { mount } from 'svelte';
import App from './ui/App.svelte';
import BenchPage from './ui/BenchPage.svelte';
import './ui/global.css';

const flags = new URLSearchParams(location.search);
const target = document.getElementById('app')!;
if (flags.has('bench')) {
  mount(BenchPage, {
    target,
    props: {
      ratings: Number(flags.get('bench')) || 1_000_000,
      threads: Number(flags.get('threads') ?? 0),
      seed: Number(flags.get('seed') ?? 1),
      cache: flags.has('cache'),
      content: flags.get('content') === 'genome-alone' ? ('genome-alone' as const) : flags.has('content'),
      recommender: flags.get('recommender') === 'item-knn-topn' ? 'item-knn-topn' : 'ials',
    },
  });
} else {
  mount(App, { target });
}
