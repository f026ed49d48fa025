# Counts the Option fields of the response types: the properties of every object
# reachable from a 200 answer in generated/openapi.json (arrays, never Option, count
# as plain). Usage: python3 docs/count_options.py generated/openapi.json
import json,sys
doc=json.load(open(sys.argv[1]))
schemas=doc['components']['schemas']
seen=set(); total=0; opt=0
def resolve(s):
    while isinstance(s,dict) and ('$ref' in s or ('allOf' in s and len(s['allOf'])==1)):
        if '$ref' in s: s=schemas[s['$ref'].split('/')[-1]]
        else: s=s['allOf'][0]
    return s
def visit(s,name):
    global total,opt
    if isinstance(s,dict) and '$ref' in s:
        n=s['$ref'].split('/')[-1]
        if n in seen: return
        seen.add(n); visit(schemas[n],n); return
    if isinstance(s,dict) and 'allOf' in s:
        for x in s['allOf']: visit(x,name)
        return
    if not isinstance(s,dict): return
    if s.get('type')=='array' and 'items' in s: visit(s['items'],name); return
    props=s.get('properties') or {}
    req=set(s.get('required') or [])
    for p,ps in props.items():
        r=resolve(ps)
        is_array = isinstance(r,dict) and r.get('type')=='array'
        total+=1
        nullable = ps.get('nullable') or (isinstance(r,dict) and r.get('nullable'))
        if (p not in req or nullable) and not is_array: opt+=1
        visit(ps,name+'.'+p)
for path,item in doc['paths'].items():
    for m,op in item.items():
        if not isinstance(op,dict) or 'responses' not in op: continue
        r=op['responses'].get('200')
        if not r or 'content' not in r: continue
        for media in r['content'].values(): visit(media['schema'],'')
print(f"{opt} of {total} response fields are Option (arrays count as non-Option)")
