import { render } from 'preact'
import { App } from './components/App.tsx'
import './admin.css'

render(<App />, document.getElementById('app')!)
